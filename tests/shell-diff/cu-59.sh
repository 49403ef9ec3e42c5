realpath --relative-to=d/e d/x; echo rc=$?
mkdir -p d/e
realpath --relative-to=d/e d/x
realpath --relative-to=d d/e/f
realpath -m a/b/../c | rev | cut -d/ -f1-2 | rev
dir=$(dirname d/e/f); echo "$dir"
name=$(basename d/e/f.txt .txt); echo "$name"
