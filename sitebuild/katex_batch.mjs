// Renders every formula of the build in one Node process (run by render.py's katex_render):
// a JSON list of [tex, display] on stdin, a JSON list of {html} or {error} on stdout.
import katex from "katex";

let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const out = JSON.parse(input).map(([tex, displayMode]) => {
    try {
      return { html: katex.renderToString(tex, { displayMode, throwOnError: true }) };
    } catch (error) {
      // KaTeX underlines the bad part with combining characters; a terminal shows them as noise.
      const text = String(error.message).replace(/^KaTeX parse error: /, "");
      return { error: text.replace(/\u0332/g, "") };
    }
  });
  process.stdout.write(JSON.stringify(out));
});
