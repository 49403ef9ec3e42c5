echo abcd | sed -E 's/(a|ab)(c|bcd)(d*)/[\1,\2,\3]/'
echo 'hello big world' | sed 's/\<./\u&/g'
