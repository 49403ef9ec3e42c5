s=ab; s+=cd; echo $s
n=1; n+=1; echo $n
