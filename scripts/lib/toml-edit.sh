# shellcheck shell=bash
# Line-based edits of a TOML config file that keep its comments (the example file documents every
# key). Used by scripts/start.sh and install.sh. Plain bash + awk: install.sh runs on servers
# that have no bun.

# toml_set FILE SECTION KEY VALUE — sets `KEY = VALUE` inside `[SECTION]` of FILE.
# VALUE is written as given, so quote strings yourself: toml_set f storage data_dir '"./data"'.
# Replaces the section's active `KEY =` line; else its first commented-out `# KEY =` line; else
# adds the line right after the section header; else appends the section at the end of the file.
toml_set() {
  local file="$1" section="$2" key="$3" value="$4" tmp
  tmp="$(mktemp "${file}.XXXXXX")"
  awk -v section="$section" -v key="$key" -v value="$value" '
    function section_of(line,   s) {
      if (line !~ /^[ \t]*\[[^]]+\][ \t]*(#.*)?$/) return ""
      s = line
      sub(/^[ \t]*\[[ \t]*/, "", s)
      sub(/[ \t]*\].*$/, "", s)
      return s
    }
    function is_active(line) { return line ~ ("^[ \t]*" key "[ \t]*=") }
    function is_commented(line) { return line ~ ("^[ \t]*#[ \t]*" key "[ \t]*=") }
    # Pass 1: find the line to replace (an active one wins over a commented-out one).
    FNR == NR {
      s = section_of($0); if (s != "") current = s
      if (current == section) {
        if (is_active($0) && active == 0) active = FNR
        if (is_commented($0) && commented == 0) commented = FNR
        if (s == section) header = FNR
      }
      next
    }
    FNR == 1 { target = active ? active : commented; current = "" }
    # Pass 2: write the file with the one change.
    {
      if (FNR == target) { print key " = " value; done = 1; next }
      print
      if (!target && FNR == header) { print key " = " value; done = 1 }
    }
    END { if (!done) { print ""; print "[" section "]"; print key " = " value } }
  ' "$file" "$file" >"$tmp"
  # Keep the original file mode (the config may hold secrets).
  chmod --reference="$file" "$tmp" 2>/dev/null || true
  mv -f "$tmp" "$file"
}

# toml_get FILE SECTION KEY — prints the raw value of the active `KEY =` line in `[SECTION]`.
toml_get() {
  awk -v section="$2" -v key="$3" '
    /^[ \t]*\[[^]]+\][ \t]*(#.*)?$/ { s = $0; sub(/^[ \t]*\[[ \t]*/, "", s); sub(/[ \t]*\].*$/, "", s); current = s; next }
    current == section && $0 ~ ("^[ \t]*" key "[ \t]*=") { v = $0; sub(/^[^=]*=[ \t]*/, "", v); sub(/[ \t]+$/, "", v); print v; exit }
  ' "$1"
}

# A random secret: 64 hex characters (256 bits) from the kernel's CSPRNG.
new_secret() {
  od -An -tx1 -N32 /dev/urandom | tr -d ' \n'
}
