set -e; trap 'echo trapped' ERR; false; echo no
