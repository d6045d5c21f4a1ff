// The page: takes dropped or picked files and folders, hands them to the Web Worker that runs
// the checker (the library compiled to WebAssembly), shows its progress, then the run's page as
// `suanpan check --format html` writes it (in a frame: the same HTML, CSS and script), and offers
// the JSON (`--format json`) and that page for download. Nothing is sent anywhere: the checker
// and its worker are inside this file, and the page's Content-Security-Policy forbids fetching.
(function () {
  'use strict';
  var WORDS = {
    zh: {
      title: '算盘 · 绩效自评报告核对',
      privacy: '文件只在本机浏览器中检查，不会上传',
      drop: '把绩效自评报告（.txt .md .docx）和自评表（.xlsx .xls .ods …），或整个文件夹，拖到这里',
      pickFiles: '选择文件',
      pickFolder: '选择文件夹',
      hint: '同一文件夹中文件名相同的报告和自评表（或一个文件夹里的一份报告及其自评表）作为一份报告对照检查，与命令行 suanpan check 相同。',
      loading: '正在加载检查程序…',
      ready: '可以开始：拖入或选择文件',
      reading: '正在读取文件…',
      checking: function (d, t) { return '正在检查：' + d + ' / ' + t + ' 份报告'; },
      done: function (b, f, ms) { return '已检查 ' + b + ' 份报告、' + f + ' 个文件，用时 ' + ms + ' 毫秒'; },
      nothing: '没有找到报告文件（.txt .text .md .docx .xlsx .xlsm .xls .xlsb .ods）',
      counts: function (c) { return '<b class="e">' + c[0] + '</b> 个错误 · <b class="w">' + c[1] + '</b> 个警告 · <b class="i">' + c[2] + '</b> 个提示'; },
      downloadJson: '下载 JSON 结果',
      downloadHtml: '下载 HTML 报告',
      downloadAnnotated: '下载批注副本',
      annotatedGap: '（批注副本尚未提供）',
      failed: '检查程序出错：',
      unread: '浏览器没有交出这些文件或文件夹，未检查（可改用“选择文件夹”）：',
      noWorker: '此浏览器无法运行检查程序（需要 Web Worker 和 WebAssembly）。',
      frame: '检查结果',
      lang: 'English',
    },
    en: {
      title: 'suanpan · checking performance self-evaluation reports',
      privacy: 'Files are checked in this browser only; nothing is uploaded',
      drop: 'Drop reports (.txt .md .docx) and evaluation sheets (.xlsx .xls .ods …), or whole folders, here',
      pickFiles: 'Choose files',
      pickFolder: 'Choose a folder',
      hint: 'A report and a sheet with the same name in one folder (or one report and its sheets alone in a folder) are checked together as one report, as `suanpan check` does.',
      loading: 'Loading the checker…',
      ready: 'Ready: drop or choose files',
      reading: 'Reading files…',
      checking: function (d, t) { return 'Checking: ' + d + ' / ' + t + ' report(s)'; },
      done: function (b, f, ms) { return b + ' report(s), ' + f + ' file(s) checked in ' + ms + ' ms'; },
      nothing: 'No report files found (.txt .text .md .docx .xlsx .xlsm .xls .xlsb .ods)',
      counts: function (c) { return '<b class="e">' + c[0] + '</b> error(s) · <b class="w">' + c[1] + '</b> warning(s) · <b class="i">' + c[2] + '</b> info(s)'; },
      downloadJson: 'Download the JSON result',
      downloadHtml: 'Download the HTML report',
      downloadAnnotated: 'Download annotated copies',
      annotatedGap: '(annotated copies are not available yet)',
      failed: 'The checker failed: ',
      unread: 'The browser did not hand over these files or folders, which were not checked (try "Choose a folder"): ',
      noWorker: 'This browser cannot run the checker (it needs Web Workers and WebAssembly).',
      frame: 'Findings',
      lang: '中文',
    },
  };
  var $ = function (id) { return document.getElementById(id); };
  var lang = 'zh';
  try { if (localStorage.getItem('suanpan-lang') === 'en') { lang = 'en'; } } catch (e) { /* file:// may refuse storage */ }
  var module = null;      // the compiled checker, shared by every worker
  var worker = null;
  var workerUrl = null;
  var runId = 0;
  var current = null;     // {files, damaged, started, ...} of the run in progress or shown
  var result = null;      // {html, json, counts, ...} of the last finished run
  var queued = null;      // files picked before the checker was ready
  var stateKey = 'loading';
  var stateArgs = [];

  function w(key) { return WORDS[lang][key]; }

  function setState(key) {
    stateKey = key;
    stateArgs = Array.prototype.slice.call(arguments, 1);
    var v = w(key);
    $('state').textContent = typeof v === 'function' ? v.apply(null, stateArgs) : v;
  }

  function showCounts(c) { $('counts').innerHTML = c ? w('counts')(c) : ''; }

  function applyLang() {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = w('title');
    Array.prototype.forEach.call(document.querySelectorAll('[data-t]'), function (el) {
      el.textContent = w(el.getAttribute('data-t'));
    });
    $('lang').textContent = w('lang');
    $('lang').setAttribute('lang', lang === 'zh' ? 'en' : 'zh-CN');
    $('report').title = w('frame');
    setState.apply(null, [stateKey].concat(stateArgs));
    if (result) { showCounts(result.counts); }
  }

  function fail(e) {
    $('error').textContent = w('failed') + String(e);
    $('error').classList.remove('hidden');
  }

  function base64Bytes(text) {
    var bin = atob(text.replace(/\s+/g, ''));
    var bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }
    return bytes;
  }

  // A worker from the bindings and worker script inside this page (a blob: URL: a page opened
  // from disk may not load a worker from a file), given the compiled module.
  function startWorker(onReady) {
    if (!workerUrl) {
      var src = $('worker-src').textContent;
      workerUrl = URL.createObjectURL(new Blob([src], { type: 'text/javascript' }));
    }
    var wk = new Worker(workerUrl);
    wk.onmessage = function (ev) {
      var m = ev.data;
      if (m.type === 'ready') {
        onReady(wk);
      } else if (m.type === 'error' && m.id === undefined) {
        fail(m.error); // the checker could not start
      } else {
        onMessage(wk, m);
      }
    };
    wk.onerror = function (ev) { fail(ev.message || 'worker error'); };
    wk.postMessage({ type: 'init', module: module });
    return wk;
  }

  function onMessage(wk, m) {
    if (wk !== worker || !current || m.id !== current.id) { return; }
    if (m.type === 'plan') {
      if (m.bundles === 0) { setState('nothing'); return; }
      $('progress').max = m.bundles;
      $('progress').value = 0;
      $('progress').classList.toggle('hidden', m.bundles < 2);
      setState('checking', 0, m.bundles);
    } else if (m.type === 'progress') {
      $('progress').value = m.done;
      setState('checking', m.done, m.total);
      showCounts(m.counts);
    } else if (m.type === 'done') {
      result = m;
      var run = current;
      var arrived = performance.now();
      $('progress').classList.add('hidden');
      show(m, function () {
        // From the pick or drop to the findings on screen.
        var ms = Math.round(performance.now() - run.started);
        if (run !== current) { return; }
        setState('done', m.bundles, m.files, ms);
        showCounts(m.counts);
        $('actions').classList.remove('hidden');
        document.body.setAttribute('data-ms', String(ms));
        document.body.setAttribute('data-check-ms', String(Math.round(m.checkMs)));
        document.body.setAttribute('data-render-ms', String(Math.round(m.renderMs)));
        document.body.setAttribute('data-frame-ms', String(Math.round(performance.now() - arrived)));
        document.body.setAttribute('data-state', 'done');
        // The language was switched while the run went on: the page in the new one.
        if (m.lang !== lang) { worker.postMessage({ type: 'render', id: run.id, lang: lang }); }
      });
    } else if (m.type === 'rendered') {
      if (!result || m.lang !== lang) { return; }
      result.html = m.html; result.json = m.json; result.lang = m.lang;
      show(result);
    } else if (m.type === 'trap') {
      recover(m);
    } else if (m.type === 'error') {
      fail(m.error);
    }
  }

  // A reader panicked and the module stopped (the browser cannot unwind): find which workbook
  // of the bundle stops it, each in a worker of its own, and check everything again with it
  // reported as damaged — the finding the command line gives for a workbook whose reader
  // panicked.
  function recover(m) {
    var run = current;
    worker.terminate();
    worker = null;
    var candidates = run.files.filter(function (f) {
      return m.bundle.indexOf(f.path) >= 0 && /\.(xlsx|xlsm|xls|xlsb|ods)$/i.test(f.path) &&
        run.damaged.indexOf(f.path) < 0;
    });
    if (candidates.length === 0) { fail(m.error); return; }
    var left = candidates.length;
    var found = 0;
    candidates.forEach(function (f) {
      startWorker(function (probe) {
        probe.onmessage = function (ev) {
          if (ev.data.type !== 'probed') { return; }
          probe.terminate();
          if (!ev.data.ok && ev.data.trapped) { run.damaged.push(f.path); found++; }
          if (--left === 0) {
            startWorker(function (wk) {
              worker = wk;
              // Files picked meanwhile are checked instead; a stop no workbook explains is
              // shown as it is, not run again.
              if (queued) { var q = queued; queued = null; check(q); } else if (found === 0) { fail(m.error); } else if (run === current) { send(run); }
            });
          }
        };
        probe.postMessage({ type: 'probe', id: run.id, path: f.path, file: f.file });
      });
    });
  }

  function send(run) {
    worker.postMessage({ type: 'run', id: run.id, files: run.files, damaged: run.damaged, lang: lang });
  }

  // The run's page in the frame: the same document `--format html` writes; a few reports are
  // shown opened.
  function show(r, loaded) {
    var frame = $('report');
    frame.classList.remove('hidden');
    frame.onload = function () {
      fit(frame);
      if (loaded) { loaded(); }
    };
    frame.srcdoc = r.html;
  }

  var OPEN_UP_TO = 5;

  // The frame as tall as its page, so that the window scrolls as one page.
  function fit(frame) {
    var doc = null;
    try { doc = frame.contentDocument; } catch (e) { doc = null; }
    if (!doc || !doc.documentElement) { frame.style.height = '80vh'; return; }
    var sections = doc.querySelectorAll('section.report > details');
    if (sections.length <= OPEN_UP_TO) {
      Array.prototype.forEach.call(sections, function (d) { d.open = true; });
    }
    var resize = function () { frame.style.height = (doc.documentElement.scrollHeight + 4) + 'px'; };
    resize();
    if (window.ResizeObserver) { new ResizeObserver(resize).observe(doc.body); }
  }

  function check(files) {
    if (!worker) { queued = files; return; }
    $('error').classList.add('hidden');
    $('actions').classList.add('hidden');
    document.body.setAttribute('data-state', 'checking');
    result = null;
    showCounts(null);
    current = { id: ++runId, files: files, damaged: [], started: performance.now() };
    if (files.length === 0) { setState('nothing'); return; }
    setState('reading');
    send(current);
  }

  // Files picked: one by one (given), or a folder's (webkitRelativePath starts with its name).
  function picked(input, inFolder) {
    var files = Array.prototype.map.call(input.files, function (f) {
      return { path: inFolder && f.webkitRelativePath ? f.webkitRelativePath : f.name, inFolder: inFolder && !!f.webkitRelativePath, file: f };
    });
    var started = performance.now();
    check(files);
    if (current) { current.started = started; }
    input.value = '';
  }

  // Files and folders dropped: folders are walked (every file under them, as paths starting
  // with the folder's name), files taken as given. A folder is read through its handle
  // (getAsFileSystemHandle), which a page opened from disk may use; the older entries API
  // (webkitGetAsEntry) refuses such a page (EncodingError) and serves where the handle is
  // missing. What DataTransfer gives must be taken during the event, hence the first loop.
  function dropped(items) {
    var started = performance.now();
    var out = [];
    var unread = [];
    var taken = Array.prototype.map.call(items, function (item) {
      if (item.kind !== 'file') { return null; }
      return {
        handle: item.getAsFileSystemHandle ? item.getAsFileSystemHandle() : null,
        entry: item.webkitGetAsEntry ? item.webkitGetAsEntry() : null,
        file: item.getAsFile(),
      };
    }).filter(Boolean);
    function viaHandle(dir, prefix) {
      var iter = dir.entries();
      var jobs = [];
      return (function next() {
        return iter.next().then(function (step) {
          if (step.done) { return Promise.all(jobs); }
          var name = step.value[0], h = step.value[1], p = prefix + '/' + name;
          jobs.push(h.kind === 'directory' ? viaHandle(h, p) : h.getFile().then(function (f) {
            out.push({ path: p, inFolder: true, file: f });
          }, function (e) { unread.push(p + ': ' + e.message); }));
          return next();
        });
      })().catch(function (e) { unread.push(prefix + ': ' + e.message); });
    }
    function readAll(reader) {
      return new Promise(function (resolve, reject) {
        var all = [];
        (function more() {
          reader.readEntries(function (batch) {
            if (batch.length === 0) { resolve(all); return; }
            all = all.concat(Array.prototype.slice.call(batch));
            more();
          }, reject);
        })();
      });
    }
    function viaEntry(entry) {
      var p = entry.fullPath.replace(/^\//, '');
      if (entry.isFile) {
        return new Promise(function (resolve) {
          entry.file(function (f) { out.push({ path: p, inFolder: true, file: f }); resolve(); },
            function (e) { unread.push(p + ': ' + e.message); resolve(); });
        });
      }
      return readAll(entry.createReader()).then(function (entries) {
        return Promise.all(entries.map(viaEntry));
      }, function (e) { unread.push(p + ': ' + e.message); });
    }
    var pending = taken.map(function (t) {
      var folder = t.entry ? t.entry.isDirectory : false;
      if (t.handle) {
        return t.handle.then(function (h) {
          if (h && h.kind === 'directory') { return viaHandle(h, h.name); }
          if (t.file) { out.push({ path: t.file.name, inFolder: false, file: t.file }); }
        }, function (e) {
          if (folder) { return viaEntry(t.entry); }
          if (t.file) { out.push({ path: t.file.name, inFolder: false, file: t.file }); } else { unread.push(e.message); }
        });
      }
      if (folder) { return viaEntry(t.entry); }
      if (t.file) { out.push({ path: t.file.name, inFolder: false, file: t.file }); }
      return Promise.resolve();
    });
    setState('reading');
    Promise.all(pending).then(function () {
      check(out);
      if (current) { current.started = started; }
      // Nothing is left out in silence: what the browser would not hand over is named.
      if (unread.length) {
        $('error').textContent = w('unread') + unread.join('; ');
        $('error').classList.remove('hidden');
      }
    });
  }

  function download(name, text, type) {
    var url = URL.createObjectURL(new Blob([text], { type: type }));
    var a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  $('files').addEventListener('change', function () { picked(this, false); });
  $('folder').addEventListener('change', function () { picked(this, true); });
  var drop = $('drop');
  ['dragenter', 'dragover'].forEach(function (t) {
    drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.add('over'); });
  });
  drop.addEventListener('dragleave', function () { drop.classList.remove('over'); });
  drop.addEventListener('drop', function (e) {
    e.preventDefault();
    drop.classList.remove('over');
    if (e.dataTransfer && e.dataTransfer.items) { dropped(e.dataTransfer.items); }
  });
  // A file dropped beside the zone is not opened by the browser in place of the page.
  window.addEventListener('dragover', function (e) { e.preventDefault(); });
  window.addEventListener('drop', function (e) { e.preventDefault(); });
  $('lang').addEventListener('click', function () {
    lang = lang === 'zh' ? 'en' : 'zh';
    try { localStorage.setItem('suanpan-lang', lang); } catch (e) { /* not kept */ }
    applyLang();
    if (result && worker) { worker.postMessage({ type: 'render', id: current.id, lang: lang }); }
  });
  $('json').addEventListener('click', function () {
    if (result) { download('suanpan.json', result.json, 'application/json'); }
  });
  $('html').addEventListener('click', function () {
    if (result) { download(lang === 'zh' ? 'suanpan-报告.html' : 'suanpan-report.html', result.html, 'text/html'); }
  });

  applyLang();
  if (!window.Worker || !window.WebAssembly) { setState('noWorker'); return; }
  WebAssembly.compile(base64Bytes($('wasm-b64').textContent)).then(function (m) {
    module = m;
    startWorker(function (wk) {
      worker = wk;
      setState('ready');
      document.body.setAttribute('data-state', 'ready');
      if (queued) { var q = queued; queued = null; check(q); }
    });
  }, fail);
})();
