const status = document.getElementById("status");
const worker = new Worker(new URL("floor-worker.js", import.meta.url), { type: "module" });
worker.onmessage = ({ data }) => {
  performance.mark("practice:ready");
  status.dataset.state = data;
  status.textContent = data;
};
