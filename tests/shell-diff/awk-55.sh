# awk: awk's ERE: braces are literal in mawk 1.3.4
echo 'a{2} aa' | awk '{print match($0, /a{2}/), RLENGTH}'
