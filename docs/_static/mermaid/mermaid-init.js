// Draw every Mermaid diagram on the page, in furo's dark or light colours.
document.addEventListener("DOMContentLoaded", () => {
  const chosen = document.body.dataset.theme;
  const dark =
    chosen === "dark" ||
    (chosen !== "light" && window.matchMedia("(prefers-color-scheme: dark)").matches);
  mermaid.initialize({ startOnLoad: false, theme: dark ? "dark" : "default" });
  mermaid.run({ querySelector: "pre.mermaid" });
});
