#!/usr/bin/env bash
# Lighthouse 12 (its default, the mobile preset) and the Nu HTML checker on
# the readers' pages, against `make serve` on a throw-away demo site:
#
#     bench/lighthouse.sh            # prints a Markdown table and the checker's errors
#
# It installs what it needs (bench/package.json: lighthouse and vnu-jar, into
# bench/node_modules) and runs Debian's Chromium (CHROME_PATH, /usr/bin/chromium)
# and Java. The site is the demo of `make run` plus ten generated articles (one
# of them Dutch), in a temporary folder; `make serve` listens on 127.0.0.1 on
# a free port in 18100-18199, and is stopped by its process group when the
# script ends, fails or is interrupted. Reports are kept in bench/output/lighthouse/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
OUT=$ROOT/bench/output/lighthouse
WORK=$(mktemp -d /tmp/hp-lighthouse-XXXXXX)
SERVER=""

stop() {
  if [ -n "$SERVER" ]; then
    kill -TERM -- "-$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap stop EXIT
trap 'exit 130' INT TERM

make --no-print-directory setup > /dev/null
if [ ! -x bench/node_modules/.bin/lighthouse ] || [ bench/package-lock.json -nt bench/node_modules/.package-lock.json ]; then
  echo "Installing Lighthouse and the Nu HTML checker into bench/node_modules" >&2
  npm ci --prefix bench --no-audit --no-fund --loglevel=error > /dev/null
fi

PORT=$(.venv/bin/python -c '
import socket
for port in range(18100, 18200):
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            continue
        print(port)
        break
')
BASE=http://127.0.0.1:$PORT

# `make serve`'s own variables turn DEBUG off; these put its data here.
export DJANGO_DEBUG=false
export SECRET_KEY="lighthouse-$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(40))')"
export DATABASE_URL=sqlite:///$WORK/db.sqlite3
export MEDIA_ROOT=$WORK/media STATIC_ROOT=$WORK/static
export SITE_URL=$BASE ALLOWED_HOSTS=127.0.0.1,localhost
export SECURE_HSTS_SECONDS=0 LOG_LEVEL=ERROR
export GUNICORN_CMD_ARGS="--bind 127.0.0.1:$PORT --workers 2"

echo "Loading the demo site into $WORK" >&2
.venv/bin/python manage.py migrate --noinput --verbosity 0
.venv/bin/python manage.py load_demo > /dev/null
.venv/bin/python manage.py generate_demo --articles 10 > /dev/null
DUTCH=$(.venv/bin/python manage.py shell -v 0 -c "from articles.models import Article; print(Article.objects.published().filter(language='nl').first().get_absolute_url())")

# Its own session and process group, so that stopping it stops gunicorn's workers too.
setsid make --no-print-directory serve > "$WORK/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 120); do
  if curl -fsS -o /dev/null "$BASE/healthz" 2>/dev/null; then break; fi
  if ! kill -0 "$SERVER" 2>/dev/null; then cat "$WORK/serve.log" >&2; exit 1; fi
  sleep 0.5
done
curl -fsS -o /dev/null "$BASE/healthz"

PAGES=(
  "home /en/"
  "article /en/beauty/back-spasm-remedy/"
  "category /en/beauty/"
  "page /en/about-us/"
  "search /en/search/?q=back+spasm"
  "dutch-article $DUTCH"
  "404 /en/no-such-page/"
)

rm -rf "$OUT" && mkdir -p "$OUT"
for entry in "${PAGES[@]}"; do
  name=${entry%% *} path=${entry#* }
  # The designed 404 page is one readers see: audit it despite its status.
  flags=()
  [ "$name" = 404 ] && flags=(--ignore-status-code)
  # A trace can fail to record on a busy machine (NO_NAVSTART): try again.
  for attempt in 1 2 3; do
    echo "Lighthouse: $path (attempt $attempt)" >&2
    bench/node_modules/.bin/lighthouse "$BASE$path" "${flags[@]}" \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run" \
      --only-categories=performance,accessibility,best-practices,seo \
      --output=json --output=html --output-path="$OUT/$name" \
      --quiet ${LIGHTHOUSE_FLAGS:-} || true
    if .venv/bin/python -c 'import json, sys; sys.exit("runtimeError" in json.load(open(sys.argv[1])))' "$OUT/$name.report.json" 2>/dev/null; then
      break
    fi
  done
done

echo
echo "Lighthouse $(bench/node_modules/.bin/lighthouse --version), mobile, $(date -u +%Y-%m-%d):"
echo
.venv/bin/python - "$OUT" "${PAGES[@]}" <<'EOF'
import json
import sys
from pathlib import Path

out, *pages = sys.argv[1:]
categories = ["performance", "accessibility", "best-practices", "seo"]
print("| Page | Performance | Accessibility | Best practices | SEO |")
print("| --- | --- | --- | --- | --- |")
for entry in pages:
    name, path = entry.split(" ", 1)
    report = Path(out) / f"{name}.report.json"
    if not report.exists():
        print(f"| {name} (`{path}`) | failed | | | |")
        continue
    data = json.loads(report.read_text())
    scores = [data["categories"].get(c, {}).get("score") for c in categories]
    shown = ["–" if s is None else str(round(s * 100)) for s in scores]
    error = data.get("runtimeError", {}).get("code")
    label = f"{name} (`{path}`)" + (f" ({error})" if error else "")
    print(f"| {label} | " + " | ".join(shown) + " |")
    for audit in data["audits"].values():
        if audit.get("score") is not None and audit["score"] < 0.9:
            print(f"  {name}: {audit['id']} ({audit['score']})", file=sys.stderr)
EOF

echo
echo "Nu HTML checker (vnu.jar $(java -jar bench/node_modules/vnu-jar/build/dist/vnu.jar --version)), errors:"
echo
status=0
for entry in "${PAGES[@]}"; do
  name=${entry%% *} path=${entry#* }
  curl -sS -o "$WORK/$name.html" "$BASE$path"
done
if java -jar bench/node_modules/vnu-jar/build/dist/vnu.jar --errors-only --format gnu "$WORK"/*.html > "$WORK/vnu.txt" 2>&1; then
  echo "No errors on ${#PAGES[@]} pages."
else
  sed "s|$WORK/||" "$WORK/vnu.txt"
  status=1
fi
echo
echo "Reports: $OUT" >&2
exit $status
