package skyclust

// pageSize is how many items Iterate asks for at a time (the API's maximum).
const pageSize = 100

// Iterator walks a list across its pages, fetching each page when the previous one is used up:
//
//	it := client.VMs.Iterate()
//	for it.Next() {
//	    fmt.Println(it.Value().Name)
//	}
//	if err := it.Err(); err != nil { ... }
type Iterator[T any] struct {
	fetch   func(limit, offset int64) ([]T, *Pagination, error)
	page    []T
	index   int
	offset  int64
	current T
	err     error
	last    bool
}

func iterate[T any](fetch func(limit, offset int64) ([]T, *Pagination, error)) *Iterator[T] {
	return &Iterator[T]{fetch: fetch, index: -1}
}

// Next advances to the next item, fetching a page when needed; false at the end or on error.
func (it *Iterator[T]) Next() bool {
	if it.err != nil {
		return false
	}
	it.index++
	if it.index >= len(it.page) {
		if it.last {
			return false
		}
		page, pagination, err := it.fetch(pageSize, it.offset)
		if err != nil {
			it.err = err
			return false
		}
		it.page, it.index = page, 0
		it.offset += int64(len(page))
		// A short page, or the total reached, ends the walk without asking again.
		it.last = len(page) < pageSize || !pagination.HasNext || it.offset >= pagination.Total
		if len(page) == 0 {
			return false
		}
	}
	it.current = it.page[it.index]
	return true
}

// Value is the current item.
func (it *Iterator[T]) Value() T { return it.current }

// Err is the error that stopped the walk, if any.
func (it *Iterator[T]) Err() error { return it.err }

// All collects every remaining item.
func (it *Iterator[T]) All() ([]T, error) {
	var items []T
	for it.Next() {
		items = append(items, it.Value())
	}
	return items, it.Err()
}
