if [ -z "$(true)" ]; then echo empty; fi
if [ -n "$(echo x)" ]; then echo nonempty; fi
