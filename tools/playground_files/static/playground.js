// The playground panels (tools/playground.py renders them). Nothing is downloaded until
// Run: the first Run starts a module worker (_playground/worker.mjs) that loads Python
// and Tornado from this site. One worker per panel, so each panel keeps its own cookies.

const WORDS = {
  en: {
    starting: "Starting Python and Tornado in your browser…",
    loading: "Loading the program…",
    running: "Sending the request…",
    done: (ms, total) => `Answered in ${ms} ms (${total} ms in all).`,
    waiting: (n) => `${n} request(s) waiting for an answer.`,
    stopped: "Stopped. The next Run starts the program again.",
    limit: (s) => `Stopped: Python did not give control back for ${s} s (a loop that never ends?).`,
    error: "The program failed:",
    reset: "The program is back as the page shows it; cookies are forgotten.",
    checking: "Checking…",
    passed: "Well done: every check passes.",
    failed: "Still to do:",
    noWorker: "This browser cannot run the playground (module workers or WebAssembly are missing).",
    wsOpen: (c) => `Client ${c} connected.`,
    wsReceived: (c, m) => `${c} received: ${m}`,
  },
  zh: {
    starting: "正在浏览器中启动 Python 和 Tornado……",
    loading: "正在加载程序……",
    running: "正在发送请求……",
    done: (ms, total) => `${ms} 毫秒内得到响应（共 ${total} 毫秒）。`,
    waiting: (n) => `${n} 个请求正在等待响应。`,
    stopped: "已停止。下次点击「运行」时重新启动程序。",
    limit: (s) => `已停止：Python 已经 ${s} 秒没有交回控制权（是不是死循环？）。`,
    error: "程序出错：",
    reset: "程序已还原为页面上的版本，Cookie 已清除。",
    checking: "正在检查……",
    passed: "做得好：所有检查都已通过。",
    failed: "还需要修改：",
    noWorker: "这个浏览器无法运行示例（缺少模块 Worker 或 WebAssembly）。",
    wsOpen: (c) => `客户端 ${c} 已连接。`,
    wsReceived: (c, m) => `${c} 收到：${m}`,
  },
};
const SILENCE_LIMIT = 8000; // ms without an answer to a ping: Python is stuck, end it
const START_LIMIT = 90000; // ms to start Python at all

// A small Python highlighter: enough colour to read code, no library.
const KEYWORDS = new Set(
  ("False None True and as assert async await break class continue def del elif else except finally for " +
    "from global if import in is lambda nonlocal not or pass raise return try while with yield match case").split(" "),
);
const TOKEN = /(#[^\n]*)|([rbfuRBFU]{0,2}(?:"""[\s\S]*?(?:"""|$)|'''[\s\S]*?(?:'''|$)|"(?:\\.|[^"\\\n])*"?|'(?:\\.|[^'\\\n])*'?))|(@[\w.]+)|(\b\d[\d_.eExXa-fA-F]*\b)|([A-Za-z_]\w*)/g;

function escapeHtml(text) {
  return text.replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c]);
}

function highlight(code) {
  let html = "";
  let last = 0;
  let previous = "";
  for (const match of code.matchAll(TOKEN)) {
    html += escapeHtml(code.slice(last, match.index));
    const [text, comment, string, decorator, number, name] = match;
    let kind = null;
    if (comment) kind = "c";
    else if (string) kind = "s";
    else if (decorator) kind = "d";
    else if (number) kind = "n";
    else if (name && KEYWORDS.has(name)) kind = "k";
    else if (name && (previous === "def" || previous === "class")) kind = "f";
    html += kind ? `<span class="pg-${kind}">${escapeHtml(text)}</span>` : escapeHtml(text);
    if (name) previous = name;
    last = match.index + text.length;
  }
  return html + escapeHtml(code.slice(last)) + "\n";
}

function setUpEditor(panel) {
  const area = panel.querySelector(".playground-code textarea");
  const overlay = panel.querySelector(".playground-highlight");
  const lines = panel.querySelector(".playground-lines");
  const paint = () => {
    overlay.innerHTML = highlight(area.value);
    const count = area.value.split("\n").length;
    lines.textContent = Array.from({ length: count }, (_, i) => i + 1).join("\n");
  };
  const follow = () => {
    overlay.scrollTop = lines.scrollTop = area.scrollTop;
    overlay.scrollLeft = area.scrollLeft;
  };
  area.addEventListener("input", paint);
  area.addEventListener("scroll", follow);
  let escaped = false; // Esc, then Tab, leaves the editor (keyboard users are not trapped)
  area.addEventListener("keydown", (event) => {
    if (event.key === "Escape") escaped = true;
    else if (event.key !== "Tab" && event.key !== "Shift") escaped = false;
    if (event.key !== "Tab" || escaped || event.ctrlKey || event.altKey || event.metaKey) return;
    // Tab indents by four spaces; Shift+Tab removes them.
    event.preventDefault();
    const { selectionStart: start, selectionEnd: end, value } = area;
    const lineStart = value.lastIndexOf("\n", start - 1) + 1;
    if (event.shiftKey) {
      const removable = value.slice(lineStart, lineStart + 4).match(/^ */)[0].length;
      area.setRangeText("", lineStart, lineStart + removable, "preserve");
      area.selectionStart = area.selectionEnd = Math.max(lineStart, start - removable);
    } else if (start === end) {
      area.setRangeText("    ", start, end, "end");
    } else {
      const block = value.slice(lineStart, end).replace(/^/gm, "    ");
      area.setRangeText(block, lineStart, end, "select");
    }
    paint();
  });
  area.addEventListener("blur", () => (escaped = false));
  paint();
  return { area, paint };
}

function headerLines(text) {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.includes(":"))
    .map((line) => [line.slice(0, line.indexOf(":")).trim(), line.slice(line.indexOf(":") + 1).trim()]);
}

class Panel {
  constructor(panel) {
    this.panel = panel;
    this.words = WORDS[panel.dataset.language] || WORDS.en;
    this.runtime = panel.dataset.runtime;
    this.example = panel.dataset.playground;
    this.module = this.example.split("/").pop();
    this.presets = JSON.parse(panel.querySelector(".playground-presets").textContent);
    this.editor = setUpEditor(panel);
    this.original = this.editor.area.value;
    this.output = panel.querySelector("[data-playground-output]");
    this.status = panel.querySelector("[data-playground-status]");
    this.frame = panel.querySelector(".playground-frame");
    this.field = (name) => panel.querySelector(`[data-playground-${name}]`);
    this.worker = null;
    this.loadedSource = null;
    this.pending = new Map();
    this.counter = 0;
    const preset = this.field("preset");
    if (preset) preset.addEventListener("change", () => this.choosePreset(preset.value));
    this.field("run").addEventListener("click", () => this.run());
    this.field("reset").addEventListener("click", () => this.reset());
    this.field("stop").addEventListener("click", () => this.stop(this.words.stopped));
    const check = this.field("check");
    if (check) check.addEventListener("click", () => this.check());
    for (const row of panel.querySelectorAll("[data-playground-client]")) {
      const client = row.dataset.playgroundClient;
      row.querySelector("[data-playground-connect]").addEventListener("click", () => this.connect(client));
      row.querySelector("[data-playground-send]").addEventListener("click", () =>
        this.sendMessage(client, row.querySelector("[data-playground-message]").value),
      );
    }
  }

  // WebSocket clients: the handshake is an ordinary request; then frames go in and out.
  async connect(client) {
    const path = this.panel.querySelector("[data-playground-websocket]").dataset.playgroundWebsocket;
    this.panel.dataset.state = "running";
    try {
      await this.ensureProgram();
      const handshake = [
        ["Upgrade", "websocket"], ["Connection", "Upgrade"], ["Sec-WebSocket-Version", "13"],
        ["Sec-WebSocket-Key", btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))))],
      ];
      const message = await this.send({ type: "request", method: "GET", path, headers: handshake, body: "", client });
      this.show(message.response);
      this.panel.dataset.state = "done";
      if (message.response.code === 101) {
        this.say(this.words.wsOpen(client));
        clearInterval(this.receiving);
        this.receiving = setInterval(() => this.worker && this.receiveFrames({ type: "websocket-receive" }).catch(() => {}), 500);
      }
    } catch (error) {
      this.fail(error.message);
    }
  }

  async sendMessage(client, text) {
    try {
      await this.receiveFrames({ type: "websocket", client, message: text });
    } catch (error) {
      this.fail(error.message);
    }
  }

  async receiveFrames(request) {
    const message = await this.send(request);
    const received = this.panel.querySelector("[data-playground-received]");
    for (const [client, messages] of Object.entries(message.received)) {
      for (const text of messages) received.textContent += this.words.wsReceived(client, text) + "\n";
    }
  }

  choosePreset(value) {
    const preset = this.presets[Number(value)];
    if (value === "" || !preset) return;
    this.field("method").value = preset.method;
    this.field("path").value = preset.path;
    this.field("headers").value = preset.headers.map(([name, val]) => `${name}: ${val}`).join("\n");
    this.field("body").value = preset.body;
  }

  say(text) {
    this.status.textContent = text;
  }

  startWorker() {
    if (this.worker) return this.workerReady;
    if (typeof WebAssembly !== "object") throw new Error(this.words.noWorker);
    this.say(this.words.starting);
    this.startedAt = performance.now();
    const worker = new Worker(`${this.runtime}worker.mjs`, { type: "module" });
    this.worker = worker;
    this.loadedSource = null;
    this.workerReady = new Promise((resolve, reject) => {
      this.readyCallbacks = { resolve, reject };
    });
    this.lastPong = performance.now();
    this.ready = false;
    worker.onmessage = (event) => this.receive(event.data);
    worker.onerror = (event) => {
      // The worker could not start (a missing file, say): end it, so that Run starts afresh.
      this.readyCallbacks.reject(new Error(event.message || this.words.noWorker));
      this.endWorker();
    };
    this.heartbeat = setInterval(() => {
      const silent = performance.now() - this.lastPong;
      if ((this.ready && silent > SILENCE_LIMIT) || (!this.ready && silent > START_LIMIT)) {
        this.stop(this.words.limit(Math.round(silent / 1000)));
        return;
      }
      worker.postMessage({ type: "ping" });
    }, 1000);
    return this.workerReady;
  }

  receive(message) {
    if (message.type === "pong") {
      this.lastPong = performance.now();
      return;
    }
    if (message.type === "ready") {
      this.ready = true;
      this.lastPong = performance.now();
      this.readyMilliseconds = message.milliseconds;
      this.readyCallbacks.resolve();
      return;
    }
    if (message.type === "log") {
      const log = this.panel.querySelector("[data-playground-log]");
      log.textContent = (log.textContent + message.text + "\n").slice(-20000);
      log.parentElement.hidden = false;
      return;
    }
    if (message.id === null && message.type === "error") {
      this.readyCallbacks.reject(new Error(message.text));
      this.endWorker();
      return;
    }
    const waiting = this.pending.get(message.id);
    if (!waiting) return;
    this.pending.delete(message.id);
    if (message.type === "error") waiting.reject(new Error(message.text));
    else waiting.resolve(message);
  }

  send(message) {
    const id = ++this.counter;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id });
    });
  }

  async ensureProgram() {
    await this.startWorker();
    const source = this.editor.area.value;
    if (source !== this.loadedSource) {
      this.say(this.words.loading);
      await this.send({
        type: "load", folder: this.panel.dataset.folder, module: this.module, source,
        environment: JSON.parse(this.panel.dataset.env || "{}"),
        arguments: JSON.parse(this.panel.dataset.args || "[]"),
      });
      this.loadedSource = source;
    }
  }

  request() {
    return {
      type: "request",
      method: this.field("method").value,
      path: this.field("path").value || "/",
      headers: headerLines(this.field("headers").value),
      body: this.field("body").value,
    };
  }

  async run() {
    const began = performance.now();
    this.panel.dataset.state = "running";
    try {
      await this.ensureProgram();
      this.say(this.words.running);
      const others = this.pending.size;
      if (others) this.say(this.words.waiting(others + 1));
      const message = await this.send(this.request());
      this.show(message.response);
      const total = Math.round(performance.now() - began);
      this.say(this.words.done(message.response.milliseconds, total));
      this.panel.dataset.state = "done";
      return message.response;
    } catch (error) {
      this.fail(error.message);
      return null;
    }
  }

  show(response) {
    this.lastResponse = response;
    const headers = response.headers.map(([name, value]) => `${name}: ${value}`).join("\n");
    this.output.textContent = `${response.status}\n${headers}\n\n${response.body}`;
    const type = (response.headers.find(([name]) => name.toLowerCase() === "content-type") || ["", ""])[1];
    if (type.startsWith("text/html") && response.body) {
      // Sandboxed without scripts, and kept from loading anything: the page's own styles
      // and scripts are not on this site, and nothing may leave it.
      const policy = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`;
      this.frame.srcdoc = response.body.replace(/^(\s*<!doctype[^>]*>)?/i, (start) => start + policy);
      this.frame.hidden = false;
    } else {
      this.frame.hidden = true;
      this.frame.removeAttribute("srcdoc");
    }
  }

  fail(text) {
    if (text === "stopped") return; // Stop (or the time limit) has said why already
    this.panel.dataset.state = "error";
    this.say(this.words.error);
    this.output.textContent = text;
    this.frame.hidden = true;
  }

  endWorker() {
    clearInterval(this.receiving);
    clearInterval(this.heartbeat);
    if (this.worker) this.worker.terminate();
    this.worker = null;
    this.ready = false;
  }

  stop(reason) {
    this.endWorker();
    for (const waiting of this.pending.values()) waiting.reject(new Error("stopped"));
    this.pending.clear();
    if (this.readyCallbacks) this.readyCallbacks.reject(new Error("stopped"));
    this.panel.dataset.state = "stopped";
    this.say(reason);
  }

  reset() {
    this.stop(this.words.reset);
    this.editor.area.value = this.original;
    this.editor.paint();
    this.output.textContent = "";
    this.frame.hidden = true;
    const log = this.panel.querySelector("[data-playground-log]");
    log.textContent = "";
    log.parentElement.hidden = true;
  }

  async check() {
    const spec = JSON.parse(this.panel.dataset.check);
    const language = this.panel.dataset.language;
    this.say(this.words.checking);
    this.panel.dataset.state = "checking";
    try {
      await this.ensureProgram();
      const responses = [];
      for (const request of spec.requests) {
        responses.push((await this.send({ type: "request", ...request })).response);
      }
      const wrong = spec.expect.filter((rule) => {
        const response = responses[rule.request];
        if (rule.status !== undefined) return response.code !== rule.status;
        const [name, text] = rule.header || rule.contains;
        const values = response.headers.filter(([key]) => key.toLowerCase() === name.toLowerCase()).map(([, value]) => value);
        if (rule.header) return !values.some((value) => value.startsWith(text));
        return !values.some((value) => value.toLowerCase().includes(text.toLowerCase()));
      });
      this.show(responses[responses.length - 1]);
      this.panel.dataset.state = wrong.length ? "check-failed" : "check-passed";
      this.say(wrong.length ? `${this.words.failed} ${wrong.map((rule) => rule[language]).join(" ")}` : this.words.passed);
    } catch (error) {
      this.fail(error.message);
    }
  }
}

for (const element of document.querySelectorAll("[data-playground]")) {
  element.playground = new Panel(element);
}
