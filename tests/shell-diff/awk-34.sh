# awk: getline from a file and close
echo 'l1' > in.txt
echo 'l2' >> in.txt
awk 'BEGIN {while ((getline l < "in.txt") > 0) print "got", l; close("in.txt"); getline l < "in.txt"; print l; print (getline x < "missing.txt")}'
