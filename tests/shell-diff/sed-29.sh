printf 'one\ntwo\n' > f1
printf 'three\nfour\n' > f2
sed -n '$p' f1 f2
sed -s -n '$p' f1 f2
sed -n '1p;F' f1 f2
