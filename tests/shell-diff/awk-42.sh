# awk: FILENAME, FNR and NR over two files
echo x > f1.txt
echo y > f2.txt
echo z >> f2.txt
awk '{print FILENAME, FNR, NR}' f1.txt f2.txt
