// The search page: asks this language's Pagefind index (built by tools/search.py) and
// lists the best sections as links, best first. The address stays search.html?q=...
const WORDS = {
  en: {
    searching: "Searching…",
    none: "No page matches “{q}”. Try fewer or other words.",
    found: (count) => `${count} ${count === 1 ? "page" : "pages"} found.`,
  },
  zh: {
    searching: "正在搜索……",
    none: "没有页面与「{q}」匹配，请换个说法或减少关键词。",
    found: (count) => `找到 ${count} 个页面。`,
  },
};
const MAX_RESULTS = 20;

const words = WORDS[document.documentElement.lang.split("-")[0]] || WORDS.en;
const root = new URL(document.documentElement.dataset.content_root || "./", location.href);

// Sphinx puts a section's id on its <section>, which Pagefind records as an anchor with
// the position of its first word: link to the section around the best-scoring match.
function bestSection(page) {
  const best = [...page.weighted_locations].sort((a, b) => b.balanced_score - a.balanced_score)[0];
  const sections = page.anchors.filter((anchor) => anchor.element === "section");
  const around = best && sections.filter((anchor) => anchor.location <= best.location).pop();
  return around && around !== sections[0] ? `${page.url}#${around.id}` : page.url;
}

function resultItem(page) {
  const item = document.createElement("li");
  const link = document.createElement("a");
  link.href = bestSection(page);
  link.textContent = page.meta.title;
  const excerpt = document.createElement("p");
  excerpt.innerHTML = page.excerpt; // Pagefind escapes the text and adds only <mark>
  item.append(link, excerpt);
  return item;
}

async function search(query) {
  const status = document.getElementById("guide-search-status");
  const list = document.getElementById("guide-search-results");
  status.textContent = words.searching;
  const pagefind = await import(new URL("_pagefind/pagefind.js", root).href);
  await pagefind.options({ baseUrl: root.pathname });
  const found = await pagefind.search(query);
  const pages = await Promise.all(found.results.slice(0, MAX_RESULTS).map((result) => result.data()));
  list.replaceChildren(...pages.map(resultItem));
  status.textContent = pages.length ? words.found(found.results.length) : words.none.replace("{q}", query);
  document.documentElement.dataset.searchDone = "true";
}

const query = new URLSearchParams(location.search).get("q")?.trim();
if (query) {
  document.getElementById("guide-search-query").value = query;
  search(query);
}
