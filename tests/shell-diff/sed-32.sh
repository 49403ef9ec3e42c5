printf 'a\nb' > f
sed -i '$a x' f
cat f
sed -n -i 'p;p' f
cat f
sed --in-place=.orig 's/^/>/' f
cat f f.orig
