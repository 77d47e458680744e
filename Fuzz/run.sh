#!/usr/bin/env bash
# Builds and runs Kefu's libFuzzer targets (Linux, Swift toolchain with libFuzzer).
#
#   Fuzz/run.sh build                      # build both targets into Fuzz/.build/
#   Fuzz/run.sh knowledge [SECONDS] [ARGS]  # fuzz the knowledge parsers (default 600 s)
#   Fuzz/run.sh dialogue  [SECONDS] [ARGS]  # fuzz the dialogue engine on the shipped knowledge
#
# Each target is compiled together with every KefuKit source file into one module (so the harness can
# reach internal parser functions), with -sanitize=fuzzer,address. Corpora live in Fuzz/corpus/<target>/
# (seeded from the shipped knowledge and transcripts on first run); crashes, timeouts and OOM inputs
# are written to Fuzz/artifacts/<target>/. Copy one worth keeping to Tests/Fixtures/fuzz/<target>/:
# HostileInputTests replays every file there in CI.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
build="$here/.build"
mkdir -p "$build"

build_target() {
    local name="$1"   # KnowledgeParserFuzz or DialogueFuzz
    local sources snapshot="$build/src-$name"
    # Compile a snapshot, so edits made meanwhile do not fail the build.
    rm -rf "$snapshot" && mkdir -p "$snapshot" && cp -R "$root/Sources/KefuKit" "$snapshot/"
    sources=$(find "$snapshot/KefuKit" -name '*.swift' | sort)
    # shellcheck disable=SC2086
    swiftc -O -g -parse-as-library -module-name "$name" \
        -sanitize=fuzzer,address \
        $sources "$here/$name/main.swift" -o "$build/$name"
}

seed() {
    local target="$1" corpus="$here/corpus/$1"
    mkdir -p "$corpus"
    [ -n "$(ls -A "$corpus")" ] && return
    if [ "$target" = knowledge ]; then
        # First byte selects the kind: 0 faq, 1 synonyms, 2 intents, 3 messages, 4 escalation,
        # 5 products, 6 suitability, 7 profile, 8 objections, 9 transcript.
        local i=0
        for f in "$root"/knowledge/faq/*.txt; do { printf '\x00'; head -c 4000 "$f"; } > "$corpus/faq-$i"; i=$((i+1)); done
        for pair in 1:synonyms 2:intents 3:messages 4:escalation 5:products 6:suitability 7:profile; do
            local n="${pair%%:*}" kind="${pair#*:}"
            [ -f "$root/knowledge/$kind.txt" ] && { printf "\\x0$n"; head -c 4000 "$root/knowledge/$kind.txt"; } > "$corpus/$kind"
        done
        for f in "$root"/knowledge/objections/*.txt; do { printf '\x08'; head -c 4000 "$f"; } > "$corpus/objection-$(basename "$f")"; done
        for f in "$root"/transcripts/*.txt; do { printf '\x09'; head -c 4000 "$f"; } > "$corpus/transcript-$(basename "$f")"; done
    else
        for f in "$root"/transcripts/*.txt; do
            grep '^you> ' "$f" | sed 's/^you> //' | head -c 4000 > "$corpus/$(basename "$f")" || true
        done
    fi
}

run_target() {
    local target="$1" binary="$2" seconds="${3:-600}"
    shift 3 || shift $#
    seed "$target"
    mkdir -p "$here/artifacts/$target"
    [ -x "$build/$binary" ] || build_target "$binary"
    "$build/$binary" "$here/corpus/$target" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
        -rss_limit_mb=4096 -artifact_prefix="$here/artifacts/$target/" -print_final_stats=1 "$@"
}

case "${1:-}" in
    build) build_target KnowledgeParserFuzz; build_target DialogueFuzz ;;
    knowledge) shift; run_target knowledge KnowledgeParserFuzz "${1:-600}" "${@:2}" ;;
    dialogue) shift; run_target dialogue DialogueFuzz "${1:-600}" "${@:2}" ;;
    *) sed -n '2,14p' "$0"; exit 2 ;;
esac
