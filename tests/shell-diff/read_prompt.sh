read -p "Name? " n <<< "bob"; echo "hi $n"
