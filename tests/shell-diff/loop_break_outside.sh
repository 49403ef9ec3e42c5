break
continue
echo still
