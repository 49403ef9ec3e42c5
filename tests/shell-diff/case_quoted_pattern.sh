x='*'
case abc in "$x") echo literal ;; $x) echo glob ;; esac
case '*' in "$x") echo literal ;; esac
case a in (a) echo paren ;; esac
