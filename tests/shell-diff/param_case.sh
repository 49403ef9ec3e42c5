s="Hello World"
echo ${s^^} ${s,,} ${s^} 
l=lower; echo ${l^}
u=UPPER; echo ${u,}
