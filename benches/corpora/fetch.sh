#!/usr/bin/env bash
# Builds the real-text corpora the benches and quality checks read, from Debian packages.
#
#   benches/corpora/fetch.sh [--record] [DIR]
#
# DIR defaults to $PARADEDUP_CORPORA, else target/corpora at the top of the repository.
# For each source below it downloads the package at its pinned version with `apt-get
# download`, checks the .deb against SHA256SUMS beside this script, unpacks it with
# `dpkg-deb -x`, turns its pages into JSON Lines with to_jsonl.py and checks the output
# against SHA256SUMS as well, so every machine builds the same bytes.  A run that finds
# everything in place and intact only checks it.
#
# If a pinned version is no longer served, the script says so and takes the version apt
# offers now; nothing can be checked then, and the corpora differ from the recorded ones.
# `--record` rewrites SHA256SUMS from what is in DIR after the run: use it, and update the
# versions below, when moving the pins on purpose.
#
# Needs: apt-get, dpkg-deb, sha256sum, python3 (installed with apt-get when missing and run
# as root).  Run `apt-get update` first on a fresh machine; the script runs it itself, once,
# when apt knows none of a package's versions or not the pinned one, and it runs as root.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
sums="$here/SHA256SUMS"

record=0
if [[ "${1:-}" == "--record" ]]; then
    record=1
    shift
fi
if [[ $# -gt 1 || "${1:-}" == -* ]]; then
    echo "usage: $0 [--record] [DIR]" >&2
    exit 2
fi
dir=${1:-${PARADEDUP_CORPORA:-$repo/target/corpora}}
mkdir -p "$dir/debs"
dir=$(cd "$dir" && pwd)

# output name | package | pinned version | format | folder inside the package | language
# ("path" = the first folder below that one names the language)
sources='
debian-handbook|debian-handbook|11.20220922|html|usr/share/doc/debian-handbook/html|path
gnome-user-docs|gnome-user-docs|43.0-2|mallard|usr/share/help|path
installation-guide|installation-guide-amd64|20230508+deb12u1|html|usr/share/doc/installation-guide-amd64|path
python-docs|python3.11-doc|3.11.2-6+deb12u9|html|usr/share/doc/python3.11/html|en
git-mail|git-doc|1:2.39.5-0+deb12u3|mail|usr/share/doc/git-doc/howto|en
'

warn() { printf '\n*** WARNING: %s\n\n' "$*" >&2; }
die() { printf 'fetch.sh: %s\n' "$*" >&2; exit 1; }

# The file name apt-get download gives a package: the epoch's colon is written %3a.
deb_name() { printf '%s_%s_all.deb' "$1" "${2//:/%3a}"; }

recorded_sum() { awk -v f="$1" '$2 == f { print $1 }' "$sums" 2>/dev/null || true; }

actual_sum() { sha256sum "$1" | cut -d' ' -f1; }

# ok: matches; missing: no such file; unrecorded: SHA256SUMS has no line for it; bad.
check() {
    local rel=$1 want
    [[ -f "$dir/$rel" ]] || { echo missing; return; }
    want=$(recorded_sum "$rel")
    [[ -n "$want" ]] || { echo unrecorded; return; }
    if [[ "$(actual_sum "$dir/$rel")" == "$want" ]]; then echo ok; else echo bad; fi
}

updated=0
apt_knows() { [[ -n "$(apt-cache madison "$1" 2>/dev/null)" ]]; }
ensure_lists() {
    local pkg=$1
    if ! apt_knows "$pkg" && [[ $updated -eq 0 && $(id -u) -eq 0 ]]; then
        echo "apt knows no version of $pkg: running apt-get update once"
        apt-get update -qq
        updated=1
    fi
    apt_knows "$pkg" || die "apt knows no version of $pkg (run apt-get update as root?)"
}

served_versions() { apt-cache madison "$1" | awk -F'|' '{ gsub(/ /, "", $2); print $2 }'; }

apt_download() {
    local tmp=$1 spec=$2
    # Let apt's unprivileged downloader write there, so it need not fall back to root.
    if [[ $(id -u) -eq 0 ]] && id _apt >/dev/null 2>&1; then chown _apt "$tmp"; fi
    (cd "$tmp" && apt-get download -q "$spec") >&2
}

if [[ -x /usr/bin/python3 ]]; then
    py=/usr/bin/python3
elif command -v python3 >/dev/null; then
    py=$(command -v python3)
else
    [[ $(id -u) -eq 0 ]] || die "python3 is missing: apt-get install python3"
    apt-get install -y -qq python3 >&2
    py=/usr/bin/python3
fi

tmp_root="$dir/.work"
rm -rf "$tmp_root"
mkdir -p "$tmp_root"
trap 'rm -rf "$tmp_root"' EXIT

failed=()
unverified=()
outputs=()
while IFS='|' read -r name pkg version format under lang; do
    [[ -n "$name" ]] || continue
    out="$name.jsonl"
    outputs+=("$dir/$out")
    deb="debs/$(deb_name "$pkg" "$version")"
    pinned=1

    # 1. The package, at its pinned version, checked.
    state=$(check "$deb")
    if [[ $state == bad ]]; then
        echo "$deb does not match SHA256SUMS: downloading it again"
        rm -f "$dir/$deb"
        state=missing
    fi
    if [[ $state == missing ]]; then
        ensure_lists "$pkg"
        dl="$tmp_root/download-$pkg"
        mkdir -p "$dl"
        served=$(served_versions "$pkg")
        if ! grep -qxF -- "$version" <<<"$served" && [[ $updated -eq 0 && $(id -u) -eq 0 ]]; then
            # Stale lists know an older set of versions: refresh them once before deciding the
            # pinned version is gone.
            echo "apt does not list $pkg $version: running apt-get update once"
            apt-get update -qq
            updated=1
            served=$(served_versions "$pkg")
        fi
        if grep -qxF -- "$version" <<<"$served"; then
            apt_download "$dl" "$pkg=$version" || die "apt-get download $pkg=$version failed"
        else
            current=$(apt-cache policy "$pkg" | awk '/Candidate:/ { print $2 }')
            warn "$pkg $version (pinned) is no longer served; taking $current instead." \
                "$out may not match the recorded corpus. Update the pin and run with --record."
            apt_download "$dl" "$pkg" || die "apt-get download $pkg failed"
            version=$current
            deb="debs/$(deb_name "$pkg" "$version")"
            pinned=0
        fi
        got=("$dl"/*.deb)
        [[ ${#got[@]} -eq 1 && -f "${got[0]}" ]] || die "apt-get download $pkg left no single .deb"
        mv "${got[0]}" "$dir/$deb"
        state=$(check "$deb")
    fi
    case $state in
    ok) echo "ok        $deb" ;;
    unrecorded)
        if [[ $record -eq 0 ]]; then
            warn "$deb has no line in SHA256SUMS: not verified."
            unverified+=("$deb")
        fi
        pinned=0
        ;;
    bad) die "$deb does not match SHA256SUMS after a fresh download: the archive changed?" ;;
    esac

    # 2. The corpus: built only when missing or not the recorded bytes.
    state=$(check "$out")
    if [[ $state == ok && $pinned -eq 1 ]]; then
        echo "ok        $out"
        continue
    fi
    echo "building  $out from $pkg $version"
    root="$tmp_root/$pkg"
    rm -rf "$root"
    dpkg-deb -x "$dir/$deb" "$root"
    if [[ $lang == path ]]; then
        lang_args=(--lang-from-path 0 --lang-map C=en)
    else
        lang_args=(--lang "$lang")
    fi
    "$py" "$here/to_jsonl.py" convert --format "$format" --package "$pkg" --root "$root" \
        --under "$under" "${lang_args[@]}" --out "$dir/$out"
    rm -rf "$root"
    state=$(check "$out")
    case $state in
    ok) echo "ok        $out" ;;
    unrecorded)
        if [[ $record -eq 0 ]]; then
            warn "$out has no line in SHA256SUMS: not verified."
            unverified+=("$out")
        fi
        ;;
    bad)
        if [[ $pinned -eq 1 && $record -eq 0 ]]; then
            echo "MISMATCH  $out differs from SHA256SUMS (python: $("$py" --version 2>&1))" >&2
            failed+=("$out")
        elif [[ $record -eq 0 ]]; then
            unverified+=("$out")
        fi
        ;;
    esac
done <<<"$sources"

if [[ $record -eq 1 ]]; then
    {
        echo "# SHA-256 of the Debian packages and of the corpora fetch.sh builds from them."
        echo "# Paths are relative to the corpora folder. Rewritten by: fetch.sh --record"
        (cd "$dir" && sha256sum debs/*.deb ./*.jsonl | sed 's| \./| |')
    } >"$sums"
    echo "recorded  $sums"
fi

echo
"$py" "$here/to_jsonl.py" summary "${outputs[@]}"
echo
echo "corpora in $dir"

if [[ ${#unverified[@]} -gt 0 ]]; then
    warn "not verified against SHA256SUMS: ${unverified[*]}"
fi
if [[ ${#failed[@]} -gt 0 ]]; then
    die "built from the pinned packages but not byte-identical to the record: ${failed[*]}"
fi
