touch_file() { : > "$1"; }
touch_file a.txt; touch_file b.txt; touch_file c.log
echo *.txt
echo ?.log
echo [ab].txt
echo *.none
echo "*.txt"
