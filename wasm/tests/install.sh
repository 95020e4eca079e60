# Sourced by wasm/tests/run and wasm/bench/run (from the repository root): installs the harness
# (playwright-core, web-worker, typescript) with `npm ci` from the committed lockfile into target/npm/harness,
# again only when the lockfile changed, and the packed tarball $tarball into a fresh temporary folder
# $work (removed on exit), a consumer project of its own outside the source tree. npm's cache lives in
# $CONCLAVE_TOOLS/npm, so the install finds web-worker offline after the first time.
TOOLS="${CONCLAVE_TOOLS:-$HOME/.cache/conclave-tools}"
export npm_config_cache="$TOOLS/npm" npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

harness=target/npm/harness
stamp=$(sha256sum wasm/tests/package-lock.json | cut -c1-16)
if [ "$(cat "$harness/.stamp" 2>/dev/null)" != "$stamp" ]; then
  rm -rf "$harness"
  mkdir -p "$harness"
  cp wasm/tests/package.json wasm/tests/package-lock.json "$harness/"
  (cd "$harness" && npm ci --silent)
  echo "$stamp" > "$harness/.stamp"
fi
export CONCLAVE_ROOT="$PWD" CONCLAVE_HARNESS="$PWD/$harness"

work=$(mktemp -d "${TMPDIR:-/tmp}/conclave-npm.XXXXXX")
trap 'rm -rf "$work"' EXIT
(cd "$work" && echo '{"name":"conclave-wasm-consumer","private":true,"type":"module"}' > package.json \
  && npm install --silent --prefer-offline "$tarball")
