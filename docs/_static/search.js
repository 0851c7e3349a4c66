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

// The index holds Chinese one ideograph per word (tools/search.py): space the query the
// same way, and join what Pagefind shows back into ordinary text (the index also spaced
// full-width punctuation apart from its neighbours).
const IDEOGRAPH = "[\\u3400-\\u4dbf\\u4e00-\\u9fff]";
const CJK = "[\\u3000-\\u303f\\u3400-\\u4dbf\\u4e00-\\u9fff\\uff00-\\uffef]";
const spaceIdeographs = (text) => text.replace(new RegExp(`(${IDEOGRAPH})(?=${IDEOGRAPH})`, "gu"), "$1 ");
const joinIdeographs = (html) =>
  html
    .replace(new RegExp(`(${CJK}(?:</mark>)?) ((?:<mark>)?${CJK})`, "gu"), "$1$2")
    .replace(new RegExp(`(${CJK}(?:</mark>)?) ((?:<mark>)?${CJK})`, "gu"), "$1$2")
    .replaceAll("</mark><mark>", "");

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
  link.textContent = joinIdeographs(page.meta.title);
  const excerpt = document.createElement("p");
  excerpt.innerHTML = joinIdeographs(page.excerpt); // Pagefind escapes the text and adds only <mark>
  item.append(link, excerpt);
  return item;
}

// With Chinese indexed by ideograph, a page that merely holds the characters of 反向代理
// somewhere can outrank the page about reverse proxies. Rerank the first results by the
// query's words (as the browser segments them) found whole in the title and the text.
const RERANKED = 50; // about the whole guide: every page can be weighed
const HAS_IDEOGRAPH = new RegExp(IDEOGRAPH, "u");

function queryWords(query) {
  const segmenter = new Intl.Segmenter(document.documentElement.lang, { granularity: "word" });
  return [...segmenter.segment(query)].filter((part) => part.isWordLike).map((part) => spaceIdeographs(part.segment.toLowerCase()));
}

function wholeWordScore(page, words) {
  const title = page.meta.title.toLowerCase();
  const text = page.content.toLowerCase();
  return words.reduce((score, word) => {
    const inText = text.split(word).length - 1;
    return score + (title.includes(word) ? 3 : 0) + (inText ? 1 + Math.log(inText) : 0);
  }, 0);
}

// Pagefind forgives typos by matching the closest words it has; a page that holds none of
// the query's words (nor their first five letters, for English endings) is no answer.
function mentionsAny(page, words) {
  const text = `${page.meta.title} ${page.content}`.toLowerCase();
  return words.some((word) => text.includes(HAS_IDEOGRAPH.test(word) ? word : word.slice(0, 5)));
}

async function bestPages(pagefind, query) {
  const found = await pagefind.search(spaceIdeographs(query));
  const chinese = HAS_IDEOGRAPH.test(query);
  const words = queryWords(query);
  const first = await Promise.all(found.results.slice(0, chinese ? RERANKED : MAX_RESULTS).map((result) => result.data()));
  let pages = first.filter((page) => mentionsAny(page, words));
  if (chinese) {
    const scored = pages.map((page, rank) => ({ page, rank, score: wholeWordScore(page, words) }));
    scored.sort((a, b) => b.score - a.score || a.rank - b.rank);
    pages = scored.map((entry) => entry.page);
  }
  return { total: pages.length < first.length ? pages.length : found.results.length, pages: pages.slice(0, MAX_RESULTS) };
}

async function search(query) {
  const status = document.getElementById("guide-search-status");
  const list = document.getElementById("guide-search-results");
  status.textContent = words.searching;
  const pagefind = await import(new URL("_pagefind/pagefind.js", root).href);
  await pagefind.options({ baseUrl: root.pathname });
  const { total, pages } = await bestPages(pagefind, query);
  list.replaceChildren(...pages.map(resultItem));
  status.textContent = pages.length ? words.found(total) : words.none.replace("{q}", query);
  document.documentElement.dataset.searchDone = "true";
}

const query = new URLSearchParams(location.search).get("q")?.trim();
if (query) {
  document.getElementById("guide-search-query").value = query;
  search(query);
}
