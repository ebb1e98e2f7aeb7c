#!/bin/sh
# Rebuild every held-out JSON from its draft (run from /work/main):
#   sh heldout/drafts/build_all.sh
# 1. annotate.py builds the JSON (it writes text_file "corpus/raw/<id>.txt");
# 2. annotations/drafts/postprocess.py strips markdown from section titles / header.title;
# 3. text_file is rewritten to "heldout/raw/<id>.txt" (spans and offsets untouched).
set -e
cd "$(dirname "$0")/../.."
for d in heldout/drafts/*.draft; do
  id=$(basename "$d" .draft)
  python3 /work/shared/tools/annotate.py "$d" --texts heldout/raw -o "heldout/annotations/$id.json"
  python3 annotations/drafts/postprocess.py "heldout/annotations/$id.json"
  python3 - "$id" <<'PY'
import json, sys
doc_id = sys.argv[1]
p = f"heldout/annotations/{doc_id}.json"
g = json.load(open(p, encoding="utf-8"))
g["text_file"] = f"heldout/raw/{doc_id}.txt"
open(p, "w", encoding="utf-8").write(json.dumps(g, ensure_ascii=False, indent=1))
PY
done
