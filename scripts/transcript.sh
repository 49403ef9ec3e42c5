#!/usr/bin/env bash
# transcript.sh SCENARIO — run a scenario file line by line in ONE bash process
# (variables, functions, cwd and background jobs persist between lines) and
# print a transcript of it on stdout:
#
#   $ <the line as written>
#   <stdout of the command, verbatim>
#   [stderr]                 (only if stderr is non-empty)
#   <stderr verbatim>
#   [exit N]                 (only if N != 0)
#
# A block that does not end with a newline gets one. Blank lines and comment
# lines (first non-space character `#`) are skipped; a line ending in `\` is
# joined with the next one (the transcript shows the joined line, with the
# backslash-newline kept as written). A command that spans several lines (a
# loop, a function, a here-document: whatever bash -n finds unfinished) runs
# as one, its later lines shown after `> ` as bash's second prompt shows them.
#
# Each command runs as `eval "$line" >"$out" 2>"$err" </dev/null`, so:
#   * commands cannot read the scenario as stdin;
#   * a line that starts a BACKGROUND JOB (`cmd &`) MUST redirect the job's
#     stdout and stderr to files (`tcpdump ... >cap.txt 2>&1 &`), then `wait`
#     and `cat` them on later lines; otherwise the job's output would land in
#     whichever capture file was open when it started and be lost or garbled;
#   * `$?` at the start of a line is the exit status of the previous line.
#
# The scenario runs with a fresh, empty temporary directory as cwd. Before the
# first line the host is reset to look freshly booted (net.ipv4.ip_forward=0;
# a sandbox namespace may inherit 1), outside the transcript.
#
# This script changes networking state: run it only inside the sandbox that
# scripts/record-golden.sh sets up, never on a machine's own namespace.
set -u

if [ $# -ne 1 ] || [ ! -f "$1" ]; then
  echo "usage: transcript.sh SCENARIO" >&2
  exit 2
fi

__tr_file=$1
mapfile -t __tr_raw <"$__tr_file"

# Join continuation lines into logical lines.
__tr_lines=()
__tr_acc=""
__tr_cont=0
for __tr_l in "${__tr_raw[@]}"; do
  if [ "$__tr_cont" = 1 ]; then
    __tr_acc+=$'\n'"$__tr_l"
  else
    __tr_acc=$__tr_l
  fi
  if [[ $__tr_l == *\\ ]]; then
    __tr_cont=1
  else
    __tr_cont=0
    __tr_lines+=("$__tr_acc")
  fi
done
[ "$__tr_cont" = 1 ] && __tr_lines+=("$__tr_acc")

# Group the lines of a command that spans several: what bash -n finds
# unfinished (an open loop, group, quote or here-document) takes the next line.
__tr_units=()
__tr_acc=""
for __tr_l in "${__tr_lines[@]}"; do
  if [ -z "$__tr_acc" ]; then
    __tr_trim=${__tr_l#"${__tr_l%%[![:space:]]*}"}
    [ -z "$__tr_trim" ] && continue
    [ "${__tr_trim:0:1}" = "#" ] && continue
    __tr_acc=$__tr_l
  else
    __tr_acc+=$'\n'"$__tr_l"
  fi
  case $(bash -n 2>&1 <<<"$__tr_acc") in
    *"unexpected end of file"* | *"delimited by end-of-file"*) continue ;;
  esac
  __tr_units+=("$__tr_acc")
  __tr_acc=""
done
[ -n "$__tr_acc" ] && __tr_units+=("$__tr_acc")

# The command as the transcript shows it: lines after the first behind
# bash's `> `, unless the line before ended in a backslash.
__tr_show() {
  local first=1 prev="" l
  while IFS= read -r l; do
    if [ "$first" = 1 ]; then
      printf '$ %s' "$l"
      first=0
    elif [[ $prev == *\\ ]]; then
      printf '\n%s' "$l"
    else
      printf '\n> %s' "$l"
    fi
    prev=$l
  done <<<"$1"
  printf '\n'
}

__tr_cap=$(mktemp -d /tmp/transcript-cap.XXXXXX)
__tr_cwd=$(mktemp -d /tmp/transcript-cwd.XXXXXX)
__tr_out=$__tr_cap/out
__tr_err=$__tr_cap/err
trap 'rm -rf "$__tr_cap" "$__tr_cwd"' EXIT

sysctl -qw net.ipv4.ip_forward=0 >/dev/null 2>&1
cd "$__tr_cwd" || exit 1

# A foreground program that would run forever (ping without -c or -w,
# tcpdump without -c, nc -l, conntrack -E, xtables-monitor) gets the Ctrl-C
# that vnet's runner gives it: SIGINT 4.5 s after it starts. Wrappers first
# in PATH (`ip netns exec` looks programs up in PATH too) decide by the
# program's own options; a line that ends in `&` starts background jobs,
# which run on until killed, as in vnet.
mkdir "$__tr_cap/bin"
cat >"$__tr_cap/bin/endless" <<'__TR_EOF'
#!/bin/bash
prog=${0##*/}
real=$(PATH=${PATH#*:} command -v "$prog") || { echo "bash: $prog: command not found" >&2; exit 127; }
case $prog in
  ping|ping6) endless=1 stops=cw values=ciIlmMpQsStTwWF ;;
  tcpdump) endless=1 stops=cr values=cCEFGijMrsTwWyzZB ;;
  nc) endless=0 stops=l values=iIOpPsTVwXx ;;
  conntrack) endless=0 stops=E values= ;;
  *) endless=1 stops= values= ;;
esac
skip=0
for a in "$@"; do
  if [ "$skip" = 1 ]; then skip=0; continue; fi
  case $a in
    --) break ;;
    --event) endless=1 ;;
    --count=*|--count) [ "$prog" = tcpdump ] && endless=0 ;;
    --*) ;;
    -?*)
      c=${a#-}
      while [ -n "$c" ]; do
        ch=${c:0:1} c=${c:1}
        case $stops in *"$ch"*)
          if [ "$prog" = nc ] || [ "$prog" = conntrack ]; then endless=1; else endless=0; fi ;;
        esac
        case $values in *"$ch"*) [ -z "$c" ] && skip=1; break ;; esac
      done ;;
  esac
done
if [ "$endless" = 1 ] && [ "${VNET_AUTOINT:-1}" = 1 ]; then
  exec timeout -s INT --preserve-status 4.5 "$real" "$@"
fi
exec "$real" "$@"
__TR_EOF
chmod +x "$__tr_cap/bin/endless"
for __tr_p in ping ping6 tcpdump nc conntrack xtables-monitor xtables-nft-monitor; do
  ln -s endless "$__tr_cap/bin/$__tr_p"
done
PATH=$__tr_cap/bin:$PATH

# Print a file verbatim, adding a final newline if it lacks one.
__tr_block() {
  if [ -s "$1" ]; then
    cat "$1"
    [ -z "$(tail -c 1 "$1")" ] || echo
  fi
}
__tr_setrc() { return "$1"; }

__tr_rc=0
for __tr_line in "${__tr_units[@]}"; do
  __tr_show "$__tr_line"
  __tr_setrc "$__tr_rc"
  __tr_fg=1
  [[ $__tr_line =~ (^|[^&])\&[[:space:]]*$ ]] && __tr_fg=0
  VNET_AUTOINT=$__tr_fg eval "$__tr_line" >"$__tr_out" 2>"$__tr_err" </dev/null
  __tr_rc=$?
  __tr_block "$__tr_out"
  if [ -s "$__tr_err" ]; then
    echo "[stderr]"
    __tr_block "$__tr_err"
  fi
  [ "$__tr_rc" != 0 ] && echo "[exit $__tr_rc]"
done
exit 0
