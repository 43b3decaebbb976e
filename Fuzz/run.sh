#!/usr/bin/env bash
# Builds a libFuzzer harness and runs it on a scratch copy of its seed corpus.
#
#   Fuzz/run.sh field|part [SECONDS]   one target (default 600 s), e.g. Fuzz/run.sh part 60
#   Fuzz/run.sh smoke                  every target for 10 s each, one after the other (CI)
#
# Extra libFuzzer flags go in FUZZ_FLAGS, e.g. FUZZ_FLAGS="-fork=1 -ignore_crashes=1" to keep
# fuzzing past a known finding. Crashing, leaking or slow inputs are written to
# Fuzz/Crashes/<Target>-crash-<sha1> (or leak-/timeout-/oom-); replay one with
# Fuzz/.build/release/<Target> Fuzz/Crashes/<file>. The committed corpus is never changed: new
# inputs go to a scratch copy, which is deleted afterwards.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"

usage() {
    echo "usage: $0 field|part [SECONDS] | $0 smoke" >&2
    exit 2
}

target_name() {
    case "$1" in
        field) echo FieldInstructionFuzzer ;;
        part) echo PartCompilerFuzzer ;;
        *) usage ;;
    esac
}

build() {
    # SwiftPM names a path dependency after its folder, as it names this package ("fuzz").
    if [ "$(basename "$root" | tr '[:upper:]' '[:lower:]')" = fuzz ]; then
        echo "error: the checkout folder $root is named like Fuzz/, which SwiftPM cannot tell apart; clone or copy the repository to a folder with another name" >&2
        exit 2
    fi
    swift build -c release --package-path "$here" \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library --product "$1" 2>&1 \
        | { grep -v "Cannot export local symbol" || true; } >&2   # gold's noise about ASan's symbols
}

# run TARGET SECONDS: fuzzes TARGET for SECONDS on a scratch corpus; prints libFuzzer's summary.
run() {
    local target="$1" seconds="$2" corpus dictionary scratch log status=0
    corpus="$here/Corpus/${target%Fuzzer}"
    dictionary="$here/Dictionaries/${target%Fuzzer}.dict"
    scratch="$(mktemp -d)"
    log="$here/.build/$target.log"
    trap 'rm -rf "$scratch"' RETURN
    cp -R "$corpus/." "$scratch/"
    mkdir -p "$here/Crashes"
    echo "== $target: ${seconds} s on a copy of ${corpus#"$root"/} ($(ls "$corpus" | wc -l) seeds); log: ${log#"$root"/}"
    # Swift's own backtracer would race ASan on a trap; libFuzzer prints the stack instead.
    # shellcheck disable=SC2086  # FUZZ_FLAGS is a list of flags
    SWIFT_BACKTRACE=enable=no "$here/.build/release/$target" "$scratch" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -dict="$dictionary" -print_final_stats=1 -artifact_prefix="$here/Crashes/$target-" ${FUZZ_FLAGS:-} >"$log" 2>&1 || status=$?
    grep -E "INITED|DONE|ERROR|SUMMARY|finding:|Test unit written|stat::|^Done" "$log" || true
    grep -E "^#[0-9]+: cov:" "$log" | tail -n 1 || true   # the last status line of -fork mode
    if [ "$status" -ne 0 ]; then
        echo "== $target FAILED (exit $status); last lines of the log:"
        tail -n 40 "$log"
    else
        echo "== $target: no crash"
    fi
    return "$status"
}

case "${1:-}" in
    smoke)
        [ $# -eq 1 ] || usage
        for target in FieldInstructionFuzzer PartCompilerFuzzer; do build "$target"; done
        failed=0
        for target in FieldInstructionFuzzer PartCompilerFuzzer; do run "$target" 10 || failed=1; done
        exit "$failed"
        ;;
    field | part)
        [ $# -le 2 ] || usage
        target="$(target_name "$1")"
        build "$target"
        run "$target" "${2:-600}"
        ;;
    *) usage ;;
esac
