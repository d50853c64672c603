# Shared by scripts/run and scripts/test: find or install what a fresh machine lacks.

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# Installs Debian packages when we are root and they are missing; otherwise names them.
need_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing ${missing[*]}"
    if ! apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
      apt-get update >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null
    fi
  else
    echo "Please install: ${missing[*]} (e.g. sudo apt-get install ${missing[*]})" >&2
    return 1
  fi
}

# PostgreSQL server binaries (initdb, pg_ctl) for the private database.
need_postgres() {
  if command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    return 0
  fi
  need_packages postgresql
}

need_tools() {
  for tool in cargo node npm; do
    command -v "$tool" >/dev/null || { echo "Please install $tool (Rust 1.94+, Node 20+)" >&2; return 1; }
  done
}

# npm packages exactly as locked, unless they are already in place for this lock file.
web_dependencies() {
  local stamp=web/node_modules/.chedai-lock
  if [ ! -f "$stamp" ] || ! cmp -s web/package-lock.json "$stamp"; then
    say "installing the web app's npm packages"
    # Not `npm ci`: vite lists an optional dependency the registry does not have
    # (napi-windows-process-start-time), so the lock can never list it and `npm ci` refuses;
    # `npm install` follows the lock and skips the missing optional package.
    (cd web && npm install --no-audit --no-fund --loglevel=error)
    cp web/package-lock.json "$stamp"
  fi
}
