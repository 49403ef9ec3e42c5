for f in c b a; do echo "$f" > "$f.txt"; done
ls
cat a.txt b.txt c.txt | sort -r | head -1
ls | wc -l
rm a.txt b.txt
ls
