usage() {
  cat <<USAGE >&2
Usage: $0 [-v] [-n NUM] name
USAGE
  exit 2
}
verbose=0; num=1
while getopts ":vn:" opt; do
  case $opt in
    v) verbose=1 ;;
    n) num=$OPTARG ;;
    :) echo "missing arg for -$OPTARG" >&2; usage ;;
    \?) echo "bad option -$OPTARG" >&2; usage ;;
  esac
done
shift $((OPTIND-1))
[ $# -ge 1 ] || usage
