mkdir -p d/e
echo x > d/e/f
realpath d/e/f | rev | cut -d/ -f1-3 | rev
realpath d/../d/e | rev | cut -d/ -f1-2 | rev
realpath nofile | rev | cut -d/ -f1 | rev
realpath no/x; echo rc=$?
realpath -e nofile; echo rc=$?
readlink -f d/e/f | rev | cut -d/ -f1-3 | rev
readlink -f no/x; echo rc=$?
readlink d; echo rc=$?
