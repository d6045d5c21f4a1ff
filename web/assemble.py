"""Puts the page together: index.html with app.css, app.js, the worker (wasm-bindgen's
no-modules bindings followed by worker.js) and the module (base64) inside it.

    python3 assemble.py PKG_DIR OUT_DIR      # (web/build.sh runs it)

Prints the module's size, raw and gzipped, and the page's.
"""

import base64
import gzip
import pathlib
import re
import sys

here = pathlib.Path(__file__).parent
pkg, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
wasm = (pkg / "suanpan_web_bg.wasm").read_bytes()
bindings = (pkg / "suanpan_web.js").read_text(encoding="utf-8")
version = re.search(r'^version = "(.*)"$', (here / "../Cargo.toml").read_text(), re.M).group(1)
parts = {
    "APP_CSS": (here / "app.css").read_text(encoding="utf-8"),
    "APP_JS": (here / "app.js").read_text(encoding="utf-8"),
    "WORKER_JS": bindings + "\n" + (here / "worker.js").read_text(encoding="utf-8"),
    "WASM_BASE64": base64.b64encode(wasm).decode("ascii"),
    "VERSION": version,
}
# Inside <script> and <style> elements, an end tag would end them early.
for name, text in parts.items():
    if re.search(r"</(script|style)", text, re.I):
        sys.exit(f"assemble: {name} holds an end tag </script or </style")
page = re.sub(
    r"@(APP_CSS|APP_JS|WORKER_JS|WASM_BASE64|VERSION)@",
    lambda m: parts[m.group(1)],
    (here / "index.html").read_text(encoding="utf-8"),
)
out.mkdir(parents=True, exist_ok=True)
(out / "index.html").write_text(page, encoding="utf-8")
gz = len(gzip.compress(wasm, 9))
size = len(page.encode("utf-8"))
print(f"module: {len(wasm):,} bytes ({gz:,} gzipped); page {out / 'index.html'}: {size:,} bytes "
      f"({len(gzip.compress(page.encode('utf-8'), 9)):,} gzipped)")
