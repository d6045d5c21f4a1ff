// The page's Web Worker: runs the checker (wasm_bindgen's no-modules bindings are placed before
// this script in the same blob) off the main thread, so that many or large files never freeze
// the tab. Messages:
//   init {module}                         compile nothing: the page hands over the compiled module
//   run {id, files:[{path, inFolder, file}], damaged:[path], lang}
//        → plan {id, bundles, files} · progress {id, done, total} · done {id, html, json, …}
//        → trap {id, bundle:[path]} when the module stopped (a reader panicked: wasm cannot
//          unwind), so that the page can find the damaged workbook and run again
//   render {id, lang} → rendered {id, html, json}
//   probe {id, path, file} → probed {id, ok} (ok false when reading it stopped the module)
'use strict';
/* global wasm_bindgen */
var latest = 0;      // the run asked for last: an older one still reading stops
var finished = null; // the last finished run's checker, for `render`

function now() { return performance.now(); }

async function run(msg) {
  var t0 = now();
  var files = msg.files;
  latest = msg.id;
  var checker = new wasm_bindgen.Checker();
  var plan = JSON.parse(checker.plan(
    files.map(function (f) { return f.path; }),
    Uint8Array.from(files.map(function (f) { return f.inFolder ? 1 : 0; }))));
  var damaged = new Set(msg.damaged || []);
  var total = plan.length;
  var kept = plan.reduce(function (n, b) { return n + b.length; }, 0);
  postMessage({ type: 'plan', id: msg.id, bundles: total, files: kept });
  var counts = [0, 0, 0];
  var last = 0;
  for (var i = 0; i < total; i++) {
    var bundle = plan[i];
    for (var k = 0; k < bundle.length; k++) {
      var f = files[bundle[k]];
      if (damaged.has(f.path)) {
        checker.add_damaged();
      } else if (!wasm_bindgen.Checker.needs_bytes(f.path, f.file.size)) {
        checker.add_size(f.file.size);
      } else {
        try {
          checker.add_bytes(new Uint8Array(await f.file.arrayBuffer()));
        } catch (e) {
          checker.add_failed(String(e && e.message || e));
        }
      }
    }
    if (latest !== msg.id) { checker.free(); return; }
    var c;
    try {
      c = JSON.parse(checker.check(i));
    } catch (e) {
      // A trap (RuntimeError: unreachable) leaves the module unusable: the page starts over.
      postMessage({
        type: 'trap', id: msg.id, error: String(e),
        bundle: bundle.map(function (j) { return files[j].path; }),
      });
      return;
    }
    counts[0] += c[0]; counts[1] += c[1]; counts[2] += c[2];
    var t = now();
    if (t - last > 50 || i + 1 === total) {
      last = t;
      postMessage({ type: 'progress', id: msg.id, done: i + 1, total: total, counts: counts });
    }
  }
  var checked = now();
  if (finished && finished !== checker) { finished.free(); }
  finished = checker;
  var out = rendered(msg.lang);
  out.type = 'done';
  out.lang = msg.lang;
  out.id = msg.id;
  out.bundles = total;
  out.files = kept;
  out.counts = counts;
  out.checkMs = checked - t0;
  out.renderMs = now() - checked;
  postMessage(out);
}

function rendered(lang) {
  var c = finished;
  return { html: c.html(lang), json: c.json(lang), lang: lang };
}

onmessage = function (ev) {
  var msg = ev.data;
  try {
    if (msg.type === 'init') {
      wasm_bindgen.initSync({ module: msg.module });
      postMessage({ type: 'ready', version: wasm_bindgen.version() });
    } else if (msg.type === 'run') {
      run(msg).catch(function (e) {
        postMessage({ type: 'error', id: msg.id, error: String(e && e.stack || e) });
      });
    } else if (msg.type === 'render') {
      if (finished) {
        var out = rendered(msg.lang);
        out.type = 'rendered';
        out.id = msg.id;
        postMessage(out);
      }
    } else if (msg.type === 'probe') {
      msg.file.arrayBuffer().then(function (buf) {
        var ok;
        try {
          ok = wasm_bindgen.probe(msg.path, new Uint8Array(buf));
        } catch (e) {
          ok = false;
          postMessage({ type: 'probed', id: msg.id, ok: false, trapped: true });
          return;
        }
        postMessage({ type: 'probed', id: msg.id, ok: ok, trapped: false });
      }, function () {
        postMessage({ type: 'probed', id: msg.id, ok: true, trapped: false });
      });
    }
  } catch (e) {
    postMessage({ type: 'error', id: msg.id, error: String(e && e.stack || e) });
  }
};
