# A script made executable runs by its path, as bash runs it.
printf '#!/bin/bash\necho "running $0 with $# args: $*"\nexit 3\n' > mkns.sh
./mkns.sh a b; echo "status $?"
chmod +x mkns.sh
./mkns.sh a b; echo "status $?"
bash mkns.sh c; echo "status $?"
x=$(./mkns.sh); echo "got: $x"
chmod -x mkns.sh
./mkns.sh; echo "status $?"
./nosuch.sh; echo "status $?"
mkdir dir
./dir; echo "status $?"
