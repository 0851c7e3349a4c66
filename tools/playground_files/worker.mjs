// The playground's worker: Pyodide (CPython on WebAssembly), Tornado and one example
// program, all from this site's _playground/ folder. A module worker, started by
// playground.js when the reader presses Run; Stop ends it with terminate().
//
// Messages in:  {type: "ping"}, {type: "load", folder, module, source, environment, arguments},
//               {type: "request", id, method, path, headers, body, client},
//               {type: "websocket", id, client, message}, {type: "websocket-receive", id}
// Messages out: {type: "pong"}, {type: "ready", milliseconds}, {type: "loaded", id},
//               {type: "response", id, response}, {type: "error", id, text}, {type: "log", text}
import { loadPyodide } from "./pyodide.mjs";

const base = new URL("./", import.meta.url).href;
let pyodide = null;
let playground = null;

async function start() {
  const began = performance.now();
  // Tornado and the harness download while Pyodide starts.
  const files = Promise.all([
    fetch(base + "tornado.zip").then((answer) => answer.arrayBuffer()),
    fetch(base + "harness.py").then((answer) => answer.text()),
  ]);
  pyodide = await loadPyodide({
    indexURL: base,
    // The lock lists no package, so Pyodide never looks for one (on a CDN or anywhere).
    lockFileContents: fetch(base + "lock.json").then((answer) => answer.text()),
    packages: [],
    stdout: (text) => postMessage({ type: "log", text }),
    stderr: (text) => postMessage({ type: "log", text }),
  });
  const [tornadoZip, harness] = await files;
  pyodide.FS.mkdirTree("/home/pyodide/lib");
  pyodide.unpackArchive(tornadoZip, "zip", { extractDir: "/home/pyodide/lib" });
  pyodide.FS.writeFile("/home/pyodide/lib/playground_harness.py", harness);
  pyodide.runPython("import sys; sys.path.insert(0, '/home/pyodide/lib'); import playground_harness");
  playground = pyodide.pyimport("playground_harness");
  postMessage({ type: "ready", milliseconds: Math.round(performance.now() - began) });
}

const folders = new Set();

async function load(message) {
  const target = `/home/pyodide/examples/${message.folder}`;
  if (!folders.has(message.folder)) {
    const archive = await fetch(`${base}examples/${message.folder}.zip`).then((answer) => answer.arrayBuffer());
    pyodide.FS.mkdirTree(target);
    pyodide.unpackArchive(archive, "zip", { extractDir: target });
    folders.add(message.folder);
  }
  const path = `${target}/${message.module}`;
  pyodide.FS.writeFile(path, message.source);
  playground.PLAYGROUND.load(path, pyodide.toPy(message.environment || {}), pyodide.toPy(message.arguments || []));
}

function plain(value) {
  return value && value.toJs ? value.toJs({ dict_converter: Object.fromEntries }) : value;
}

const ready = start();
ready.catch((error) => postMessage({ type: "error", id: null, text: String(error) }));

self.onmessage = async (event) => {
  const message = event.data;
  if (message.type === "ping") {
    postMessage({ type: "pong" });
    return;
  }
  try {
    await ready;
    if (message.type === "load") {
      await load(message);
      postMessage({ type: "loaded", id: message.id });
    } else if (message.type === "request") {
      const answer = await playground.PLAYGROUND.request(
        message.method, message.path, message.headers, message.body, message.client || "",
      );
      postMessage({ type: "response", id: message.id, response: plain(answer) });
    } else if (message.type === "websocket") {
      const received = await playground.PLAYGROUND.websocket_send(message.client, message.message);
      postMessage({ type: "websocket", id: message.id, received: plain(received) });
    } else if (message.type === "websocket-receive") {
      const received = await playground.PLAYGROUND.websocket_receive();
      postMessage({ type: "websocket", id: message.id, received: plain(received) });
    }
  } catch (error) {
    postMessage({ type: "error", id: message.id, text: String(error.message || error) });
  }
};
