// Rewrites each <time class="relative-date"> as "3 years ago", in the
// reader's language; the date the server wrote stays in the tooltip.
const relativeDateFormat = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
const relativeDateUnits = [["year", 365 * 86400], ["month", 30 * 86400], ["day", 86400]];

for (const element of document.querySelectorAll("time.relative-date")) {
  const seconds = (Date.parse(element.dateTime) - Date.now()) / 1000;
  const [unit, size] =
    relativeDateUnits.find(([, size]) => Math.abs(seconds) >= size) || ["day", 86400];
  element.title = element.textContent;
  element.textContent = relativeDateFormat.format(Math.round(seconds / size), unit);
}
