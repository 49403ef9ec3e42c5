printf 'one\ntwo\nthree\n' > f1
printf 'two\nfour\n' > f2
grep two f1 f2
grep -h two f1 f2
grep -H one f1
grep -c o f1 f2
