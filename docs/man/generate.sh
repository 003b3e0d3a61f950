#!/bin/sh
# Writes docs/man/mixplan.1 from the help text of the built mixplan: the top-level --help, then
# every subcommand's (and sub-subcommand's) --help as its own section, verbatim. The help is the
# single source; this script only wraps it in roff. Run from anywhere after
# `swift build -c release --product mixplan`; MIXPLAN may name another binary.
# Tests/MixPlanCLITests/ManPageTests.swift fails when the committed page no longer matches --help.
set -eu
root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="${MIXPLAN:-$root/.build/release/mixplan}"
out="$root/docs/man/mixplan.1"
export COLUMNS=80

# Subcommand names listed under SUBCOMMANDS: in a help text.
subcommands() {
  awk '/^SUBCOMMANDS:/ { on = 1; next } on && /^[^ ]/ { on = 0 } on && /^  [a-z]/ { print $1 }'
}

# A help text as a roff no-fill block: backslashes escaped, lines starting with . or ' guarded.
block() {
  printf '.nf\n'
  sed -e 's/\\/\\e/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"
  printf '.fi\n'
}

version="$("$bin" --version)"
tmp="$out.tmp.$$"
trap 'rm -f "$tmp"' EXIT
{
  printf '.TH MIXPLAN 1 "" "mixplan %s" "User Commands"\n' "$version"
  printf '.SH NAME\nmixplan \\- Bayesian media mix modelling and budget planning\n'
  printf '.SH SYNOPSIS\n.B mixplan\n.I subcommand\n[options]\n'
  printf '.SH DESCRIPTION\nGenerated from the help text by docs/man/generate.sh; every section below is the output of the named --help.\n'
  printf '.SH "MIXPLAN --HELP"\n'
  "$bin" --help | block
  for sub in $("$bin" --help | subcommands); do
    [ "$sub" = help ] && continue
    printf '.SH "MIXPLAN %s --HELP"\n' "$(echo "$sub" | tr a-z A-Z)"
    "$bin" "$sub" --help | block
    for subsub in $("$bin" "$sub" --help | subcommands); do
      [ "$subsub" = help ] && continue
      printf '.SS "mixplan %s %s --help"\n' "$sub" "$subsub"
      "$bin" "$sub" "$subsub" --help | block
    done
  done
  printf '.SH "SEE ALSO"\nREADME.md in the MixPlan repository.\n'
} > "$tmp"
mv "$tmp" "$out"
trap - EXIT
echo "wrote $out"
