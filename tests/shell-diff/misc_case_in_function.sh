classify() {
  case $1 in
    -h|--help) echo help ;;
    -*) echo "option $1" ;;
    *) echo "arg $1" ;;
  esac
}
for a in -h -v file; do classify "$a"; done
