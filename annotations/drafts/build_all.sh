#!/bin/sh
# Rebuild every gold JSON from its draft, then post-process titles. Run from anywhere.
cd "$(dirname "$0")/../.." || exit 1
for d in annotations/drafts/*.draft; do
  id=$(basename "$d" .draft)
  python3 /work/shared/tools/annotate.py "$d" --texts corpus/raw -o "annotations/$id.json" || exit 1
  python3 annotations/drafts/postprocess.py "annotations/$id.json" 2>/dev/null
done
