#!/bin/bash
# Does a change leave the assessment output byte for byte as it was, at national scale?
#
#   bench/same_output.sh BEFORE AFTER [WORKDIR]
#
# Clones this repository into WORKDIR (default /tmp/same-output), generates the
# synthetic national dataset (20,000 organisations, 10 years, seed 1) with BEFORE's
# generator, and assesses every subject with core and the three regional plugins
# at BEFORE and at AFTER: 2024 as JSON (en), text (fi) and HTML (sv), 2022 as JSON
# (fi) and Markdown (en). It prints one line per output, "identical" or "DIFFER",
# and exits 1 if any differs. The plugins are found through entry points written
# into WORKDIR, so nothing is installed; the Python is this checkout's .venv.
#
# Issue 21 (the plugin boundary) ran it on 6 December 2026 for its two stretches
# of commits: 1893a94 -> 8d4064b (the workspace store split) and 2cd82e4 -> 6905f80
# (every hook through pluggy, plugin-owned catalogues, errors, collector at the
# edges, thin frontends): 10 of 10 outputs identical (10 to 25 MB each).
set -euo pipefail
BEFORE=$1 AFTER=$2 WORK=${3:-/tmp/same-output}
HERE=$(cd "$(dirname "$0")/.." && pwd)
PY=${PYTHON:-$HERE/.venv/bin/python}
rm -rf "$WORK" && mkdir -p "$WORK/out" "$WORK/entry-points"
git clone -q "$HERE" "$WORK/repo"
for p in pohjois_karjala tampere varsinais_suomi; do
  d="$WORK/entry-points/jarjesto_${p}-0.0.dist-info" && mkdir "$d"
  printf 'Metadata-Version: 2.1\nName: jarjesto-%s\nVersion: 0.0\n' "${p//_/-}" > "$d/METADATA"
  printf '[jarjesto]\n%s = jarjesto_%s\n' "$p" "$p" > "$d/entry_points.txt"
done
R=$WORK/repo
path_at() {
  git -C "$R" checkout -q "$1"
  echo "$R/src:$R/plugins/jarjesto-pohjois-karjala/src:$R/plugins/jarjesto-tampere/src:$R/plugins/jarjesto-varsinais-suomi/src:$WORK/entry-points"
}
PYTHONPATH=$(path_at "$BEFORE") "$PY" -m jarjesto_cli demo generate \
  --organisations 20000 --years 10 --seed 1 --output "$WORK/national.json"
SPECS=("2024 json en" "2024 text fi" "2024 html sv" "2022 json fi" "2022 markdown en")
for side in before after; do
  commit=$BEFORE; [ $side = after ] && commit=$AFTER
  export PYTHONPATH; PYTHONPATH=$(path_at "$commit")
  for spec in "${SPECS[@]}"; do
    read -r year fmt lang <<< "$spec"
    "$PY" -m jarjesto_cli --lang "$lang" assess "$WORK/national.json" --year "$year" \
      --format "$fmt" -o "$WORK/out/$side-$year-$fmt-$lang"
  done
done
status=0
for spec in "${SPECS[@]}"; do
  read -r year fmt lang <<< "$spec"
  name=$year-$fmt-$lang
  if cmp -s "$WORK/out/before-$name" "$WORK/out/after-$name"; then
    echo "identical $name ($(stat -c %s "$WORK/out/after-$name") bytes)"
  else
    echo "DIFFER $name"; status=1
  fi
done
exit $status
