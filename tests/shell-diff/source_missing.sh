. ./missing.sh
echo "st=$?"
source
echo "st=$?"
