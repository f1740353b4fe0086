// Mermaid as the ES module sphinxcontrib-mermaid imports, served from these docs:
// runs the self-contained build beside this file, which defines globalThis.mermaid.
await new Promise((resolve, reject) => {
  const script = document.createElement("script");
  script.src = new URL("mermaid.min.js", import.meta.url).href;
  script.onload = resolve;
  script.onerror = () => reject(new Error(`could not load ${script.src}`));
  document.head.appendChild(script);
});

export default globalThis.mermaid;
