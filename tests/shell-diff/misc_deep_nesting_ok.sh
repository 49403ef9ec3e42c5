x=$(( ((((((((((1)))))))))) + 1 ))
echo $x
if true; then if true; then if true; then if true; then echo deep; fi; fi; fi; fi
