#!/bin/sh
# Rebuild every heldout2 gold JSON from its draft, then post-process (text_file, titles, "Phần" markers).
cd "$(dirname "$0")/../.." || exit 1
for d in heldout2/drafts/*.draft; do
  id=$(basename "$d" .draft)
  python3 /work/shared/tools/annotate.py "$d" --texts heldout2/raw -o "heldout2/annotations/$id.json" || exit 1
  python3 heldout2/drafts/postprocess.py "heldout2/annotations/$id.json" 2>/dev/null
done
