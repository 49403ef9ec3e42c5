parse() {
  while [ $# -gt 0 ]; do
    case $1 in
      -n) shift; name=$1 ;;
      -v) verbose=1 ;;
      *) rest="$rest $1" ;;
    esac
    shift
  done
}
parse -v -n bob a b
echo "name=$name verbose=$verbose rest=$rest"
