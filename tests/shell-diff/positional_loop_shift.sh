set -- -v --name=x file
while [ $# -gt 0 ]; do
  case $1 in
    --name=*) echo "name ${1#*=}" ;;
    -v) echo verbose ;;
    *) echo "arg $1" ;;
  esac
  shift
done
