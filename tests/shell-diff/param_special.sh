echo $? 
false; echo $?
echo ${#?}
x=abc; echo "${x}def"
