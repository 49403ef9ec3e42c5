while getopts ":x:y" o -y -q -x; do
  echo "o=$o OPTARG=${OPTARG-unset}"
done
echo "OPTIND=$OPTIND"
