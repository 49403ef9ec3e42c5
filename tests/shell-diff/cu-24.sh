echo 'a:b:c:d' > f
cut -d: -f2 f
cut -d: -f1,3 f
cut -d: -f2- f
cut -d: -f-2 f
cut -d: --complement -f2 f
cut -d: -f1,4 --output-delimiter=' ' f
