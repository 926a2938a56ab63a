const events = new EventSource("/__live/events");
events.addEventListener("build", (event) => {
  const { error } = JSON.parse(event.data);
  if (!error) return location.reload();
  let box = document.getElementById("live-build-error");
  if (!box) {
    box = document.createElement("pre");
    box.id = "live-build-error";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:auto 1rem 1rem 1rem;z-index:100;margin:0;" +
      "padding:1rem;background:#fff0f0;color:#82071e;border:2px solid #cf222e;" +
      "white-space:pre-wrap;max-height:40vh;overflow:auto;font:13px ui-monospace,monospace";
    document.body.append(box);
  }
  box.textContent = "The build failed; this page shows the last good build.\n\n" + error;
});
