echo a
done
